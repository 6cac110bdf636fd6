/**
 * WWW-Authenticate parse time per MB, for the header shapes a hostile or broken server can send.
 * Parsing must be linear in every shape; the README quotes the worst shape's figure.
 */
import { gc, type Built } from './harness';

export interface Shape {
  name: string;
  /** A header of about `bytes` bytes. */
  make(bytes: number): string;
}

/** `count` comma-separated items from `item(i)`, cut to whole items near `bytes`. */
function list(bytes: number, item: (i: number) => string, separator = ', '): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = item(i);
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator);
}

/** Short distinct tokens: a, b, …, z, ba, bb, … */
function token(i: number): string {
  let name = '';
  do {
    name = String.fromCharCode(97 + (i % 26)) + name;
    i = Math.floor(i / 26);
  } while (i > 0);
  return name;
}

export const SHAPES: readonly Shape[] = [
  {
    name: 'plain Digest challenges, repeated',
    make: (bytes) =>
      list(
        bytes,
        () =>
          `Digest realm="a\\"b,c", nonce="${'n'.repeat(200)}", qop="auth,auth-int", algorithm=SHA-256`,
      ),
  },
  { name: 'bare schemes: Basic, Basic, …', make: (bytes) => list(bytes, () => 'Basic') },
  { name: 'bare schemes: a, b, c, …', make: (bytes) => list(bytes, token) },
  {
    name: 'one Digest, a huge domain list',
    make: (bytes) =>
      `Digest realm="r", nonce="n", qop="auth", domain="${list(bytes, (i) => `/p/${i}`, ' ')}"`,
  },
  {
    name: 'one challenge, many quoted params',
    make: (bytes) => `Digest ${list(bytes, (i) => `${token(i)}x="v${i}"`)}`,
  },
  { name: 'empty list elements: , , , …', make: (bytes) => `Basic${', '.repeat(bytes / 2)}` },
];

export interface ParseFigure {
  shape: string;
  megabytes: number;
  challenges: number | string;
  ms: number;
}

/**
 * Best of `runs` parses of each shape at each size (a collection before each), in CPU time:
 * other processes on a shared machine stretch the wall clock, not this process's CPU time.
 */
export function measureParsing(
  parseChallenges: Built['parseChallenges'],
  sizes: readonly number[],
  runs = 5,
): ParseFigure[] {
  const figures: ParseFigure[] = [];
  for (const shape of SHAPES) {
    for (const megabytes of sizes) {
      const header = shape.make(megabytes * 1e6);
      let ms = Infinity;
      let challenges: number | string = 0;
      for (let run = 0; run < runs; run++) {
        gc?.();
        const start = process.cpuUsage();
        try {
          challenges = parseChallenges(header).length;
        } catch (error) {
          challenges = `rejected: ${(error as Error).name}`;
        }
        const cpu = process.cpuUsage(start);
        ms = Math.min(ms, (cpu.user + cpu.system) / 1000);
      }
      figures.push({ shape: shape.name, megabytes: header.length / 1e6, challenges, ms });
    }
  }
  return figures;
}
