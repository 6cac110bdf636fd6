/**
 * The hash functions of Digest (RFC 7616 §6.1's registry and RFC 2617's `-sess` forms), as a
 * table keyed by the upper-cased registered name.
 *
 * Backends: Node's own hashes where they exist (faster than the portable ones, and they take a
 * binary string as is), `portable-hashes.ts` elsewhere (a browser, or a FIPS build without MD5).
 * `node:crypto` is loaded through `getBuiltinModule`, which a bundler does not follow, so browser
 * bundles carry no polyfill. docs/decisions.md says why the portable ones are hand-written.
 *
 * SHA-512-256 is FIPS 180-4 SHA-512/256 (its own initial values), as lighttpd computes it. The
 * example in RFC 7616 §3.9.2 was computed with SHA-512 cut to 256 bits; erratum 4897 gives the
 * SHA-512/256 values, which the tests check.
 */
import { optionalNodeModule } from '../../util/node-builtins.js';
import { md5, sha1, sha256, sha512, sha512_256 } from './portable-hashes.js';

/** H(data) as lower-case hex, for `data` given as bytes. */
type HashFunction = (data: Uint8Array) => string;

/** H(data) as lower-case hex, for `data` given as a binary string (one character per byte). */
export type HexDigest = (binary: string) => string;

interface NodeCrypto {
  getHashes(): string[];
  /** One-shot hashing (Node 20.12+): no Hash object per call. Strings are hashed as UTF-8. */
  hash?: (algorithm: string, data: string, encoding: 'hex') => string;
  createHash(name: string): {
    update(data: string, encoding: 'latin1'): { digest(encoding: 'hex'): string };
  };
}

const nodeCrypto = optionalNodeModule<NodeCrypto>('node:crypto');
const nodeHashes = new Set(nodeCrypto?.getHashes() ?? []);

/** Whether every character is ASCII (then the text is its own UTF-8). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * One algorithm's `hex` and `asciiHex` (see `DigestAlgorithm`). An ASCII binary string reads the
 * same as UTF-8, which Node's one-shot `hash` takes: the usual case (hex digests, ASCII names and
 * nonces) skips creating a Hash object.
 */
function hexDigests(
  nodeName: string,
  portable: HashFunction,
): Pick<DigestAlgorithm, 'hex' | 'asciiHex'> {
  const crypto = nodeCrypto;
  if (!crypto || !nodeHashes.has(nodeName)) {
    const hex: HexDigest = (binary) => portable(toBytes(binary));
    return { hex, asciiHex: hex };
  }
  const viaHashObject: HexDigest = (binary) =>
    crypto.createHash(nodeName).update(binary, 'latin1').digest('hex');
  if (!crypto.hash) return { hex: viaHashObject, asciiHex: viaHashObject };
  const asciiHex: HexDigest = (ascii) => crypto.hash!(nodeName, ascii, 'hex');
  return {
    hex: (binary) => (isAscii(binary) ? asciiHex(binary) : viaHashObject(binary)),
    asciiHex,
  };
}

/** One row of RFC 7616 §6.1's registry, and RFC 2617's `-sess` forms. */
export interface DigestAlgorithm {
  /** The registered name, as sent back in `algorithm=`. */
  readonly name: string;
  readonly hex: HexDigest;
  /** `hex` for text the caller knows is ASCII (hex digests, a checked nonce): no check per call. */
  readonly asciiHex: HexDigest;
  /** `<algorithm>-sess`: A1 includes the nonce and cnonce (RFC 7616 §3.4.2). */
  readonly session: boolean;
}

/** The algorithm table: the hash functions by registered name, each with its `-sess` form. */
export const ALGORITHMS: ReadonlyMap<string, DigestAlgorithm> = new Map(
  (
    [
      ['MD5', 'md5', md5],
      ['SHA', 'sha1', sha1], // httpx's and RFC 2617-era servers' name for SHA-1
      ['SHA-256', 'sha256', sha256],
      ['SHA-512', 'sha512', sha512],
      ['SHA-512-256', 'sha512-256', sha512_256],
    ] as const
  ).flatMap(([name, nodeName, portable]): [string, DigestAlgorithm][] => {
    const { hex, asciiHex } = hexDigests(nodeName, portable);
    return [
      [name, { name, hex, asciiHex, session: false }],
      [`${name}-SESS`, { name: `${name}-sess`, hex, asciiHex, session: true }],
    ];
  }),
);

export const SUPPORTED = [...ALGORITHMS.values()].map((algorithm) => algorithm.name).join(', ');

function toBytes(binaryString: string): Uint8Array {
  const bytes = new Uint8Array(binaryString.length);
  for (let i = 0; i < binaryString.length; i++) bytes[i] = binaryString.charCodeAt(i);
  return bytes;
}
