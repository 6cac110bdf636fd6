/**
 * Parse cost per shape of `WWW-Authenticate` (issue 10, point 4): milliseconds per MB for the
 * shapes a hostile or broken server can send, at several sizes, through the same path a 401
 * takes in `DigestAuth` (`parseChallenges`, then `chooseChallenge` for a Digest challenge, where
 * the `domain` list is read). Linear means the ms/MB figure stays flat as the size grows.
 *
 *   npx tsx scripts/parse-shapes.ts [--sizes 0.25,1,10] [--runs 5]
 *
 * Runs the TypeScript sources (this checkout), best of `runs` after a warm-up, with a collection
 * before each run when Node is started with --expose-gc. Prints a Markdown table.
 */
import { performance } from 'node:perf_hooks';
import { parseChallenges } from '../src/http/challenge';
import { chooseChallenge } from '../src/schemes/digest/challenge';
// The bench's shapes (bench/parse.ts), and two more that only this longer run measures.
import { SHAPES as BENCH_SHAPES, type Shape } from '../bench/parse';

const SHAPES: readonly Shape[] = [
  ...BENCH_SHAPES,
  {
    name: 'one long quoted realm',
    make: (bytes) => `Digest realm="${'r'.repeat(bytes)}", nonce="n"`,
  },
  {
    name: 'one long quoted string full of escapes',
    make: (bytes) => `Basic realm="${'\\"'.repeat(bytes / 2)}"`,
  },
];

const FROM = new URL('http://127.0.0.1/');
const gc = (globalThis as { gc?: () => void }).gc;

/** What a 401 costs: parse, then read the first Digest challenge (errors count as done). */
function handle(header: string): string {
  try {
    const challenges = parseChallenges(header);
    try {
      chooseChallenge(challenges, FROM);
    } catch (error) {
      return `${challenges.length} challenges, then ${(error as Error).name}`;
    }
    return `${challenges.length} challenges`;
  } catch (error) {
    return `rejected: ${(error as Error).name}`;
  }
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

function main(): void {
  const sizes = argument('sizes', '0.25,1,10').split(',').map(Number);
  const runs = Number(argument('runs', '5'));
  console.log('| shape | MB | result | best ms | ms/MB |');
  console.log('| --- | ---: | --- | ---: | ---: |');
  const worst = { shape: '', msPerMB: 0 };
  for (const shape of SHAPES) {
    for (const megabytes of sizes) {
      const header = shape.make(megabytes * 1e6);
      handle(header); // warm-up: the first run also compiles
      let best = Infinity;
      let result = '';
      for (let run = 0; run < runs; run++) {
        gc?.();
        const start = performance.now();
        result = handle(header);
        best = Math.min(best, performance.now() - start);
      }
      const mb = header.length / 1e6;
      const msPerMB = best / mb;
      if (msPerMB > worst.msPerMB) Object.assign(worst, { shape: shape.name, msPerMB });
      console.log(
        `| ${shape.name} | ${mb.toFixed(2)} | ${result} | ${best.toFixed(1)} | ${msPerMB.toFixed(1)} |`,
      );
    }
  }
  console.log(`\nworst: ${worst.shape}, ${worst.msPerMB.toFixed(1)} ms/MB`);
}

main();
