/**
 * MD5 (RFC 1321), SHA-1, SHA-256, SHA-512 and SHA-512/256 (FIPS 180-4) where Node's `crypto` is
 * not there (a browser, or a FIPS build without MD5): bytes in, lower-case hex out.
 *
 * Hand-written for size, under a third of `@noble/hashes` in a browser bundle: Digest needs these
 * hashes because RFC 7616 names them, not as cryptography of ours, and the tests check every one
 * against Node's `crypto`. docs/decisions.md has the comparison.
 */

type Words = number[];

/**
 * `x` rotated right by `n` bits; with `low`, the high word of the 64-bit word (x, low) rotated
 * (and with the halves swapped, its low word).
 */
const rotr = (n: number, x: number, low = x): number =>
  n < 32 ? (x >>> n) | (low << (32 - n)) : (low >>> (n - 32)) | (x << (64 - n));

/**
 * FIPS 180-4's Σ and σ: three rotations, the last a shift where `shift`. With `low`, the high word
 * of the 64-bit one; with the halves swapped and no shift, its low word.
 */
const sigma = (x: number, a: number, b: number, c: number, shift = false, low = x): number =>
  rotr(a, x, low) ^ rotr(b, x, low) ^ (shift ? x >>> c : rotr(c, x, low));

/** The same for a 64-bit word (high, low), as [high, low]. */
const sigma64 = (high: number, low: number, a: number, b: number, c: number, shift = false) => [
  sigma(high, a, b, c, shift, low),
  sigma(low, a, b, c, false, high),
];

const ch = (x: number, y: number, z: number): number => (x & y) ^ (~x & z);
const maj = (x: number, y: number, z: number): number => (x & y) ^ (x & z) ^ (y & z);

/** Word-wise sum modulo 2**32. */
const add = (x: Words, y: Words): Words => x.map((word, i) => (word + y[i]!) | 0);

/** The sum modulo 2**64 of 64-bit words given as high, low, high, low, ...: [high, low]. */
function add64(...words: number[]): [number, number] {
  let high = 0;
  let low = 0;
  for (let i = 0; i < words.length; i += 2) {
    high += words[i]!;
    low += words[i + 1]! >>> 0;
  }
  return [(high + ((low / 2 ** 32) | 0)) | 0, low | 0];
}

/**
 * The message padded to whole blocks (RFC 1321 §3.1-3.2, FIPS 180-4 §5.1.1-5.1.2: a 1 bit, zeros,
 * the length in bits), as 32-bit words. SHA-512's 128-bit length starts with 8 zero bytes here.
 */
function blocks(data: Uint8Array, blockSize: number, littleEndian = false): Words {
  const size = Math.ceil((data.length + 1 + blockSize / 8) / blockSize) * blockSize;
  const bytes = new Uint8Array(size);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const view = new DataView(bytes.buffer);
  // The bit count's low and high 32-bit words (setUint32 takes its argument modulo 2**32).
  view.setUint32(size - (littleEndian ? 8 : 4), data.length * 8, littleEndian);
  view.setUint32(size - (littleEndian ? 4 : 8), data.length / 2 ** 29, littleEndian);
  return Array.from({ length: size / 4 }, (_, i) => view.getInt32(i * 4, littleEndian));
}

function hex(words: Words, littleEndian = false): string {
  const view = new DataView(new ArrayBuffer(4));
  return words
    .map((word) => {
      view.setInt32(0, word, littleEndian);
      return view.getUint32(0).toString(16).padStart(8, '0');
    })
    .join('');
}

/** MD5's initial words, which SHA-1's begin with too. */
const IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

// RFC 1321 §3.4: T[i] = floor(2**32 * |sin(i)|). Every product is at least 0.015 away from an
// integer, some 30000 ulps of the sine, so no engine's Math.sin changes the table.
const MD5_T = Array.from({ length: 64 }, (_, i) => (Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

export function md5(data: Uint8Array): string {
  const x = blocks(data, 64, true);
  let h = IV.slice(0, 4);
  for (let j = 0; j < x.length; j += 16) {
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      const f = [ch(b, c, d), ch(d, b, c), b ^ c ^ d, c ^ (b | ~d)][round]!;
      const k = [i, 5 * i + 1, 3 * i + 5, 7 * i][round]! & 15;
      const s = MD5_S[round * 4 + (i & 3)]!;
      [a, b, c, d] = [d, (b + rotr(32 - s, a + f + MD5_T[i]! + x[j + k]!)) | 0, b, c];
    }
    h = add(h, [a, b, c, d]);
  }
  return hex(h, true);
}

const SHA1_K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

export function sha1(data: Uint8Array): string {
  const x = blocks(data, 64);
  let h = IV;
  for (let j = 0; j < x.length; j += 16) {
    const w = x.slice(j, j + 16);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      if (t > 15) w[t] = rotr(31, w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!);
      const f = [ch(b, c, d), b ^ c ^ d, maj(b, c, d), b ^ c ^ d][(t / 20) | 0]!;
      const t1 = rotr(27, a) + f + e + SHA1_K[(t / 20) | 0]! + w[t]!;
      [a, b, c, d, e] = [t1 | 0, a, rotr(2, b), c, d];
    }
    h = add(h, [a, b, c, d, e]);
  }
  return hex(h);
}

/**
 * floor(2**64 * the fractional part of the n-th root) of each of the first `count` primes, as
 * high, low words. Computed in integers, so exact, and far smaller than the numbers written out.
 */
function roots(n: bigint, count: number): Words {
  const words: Words = [];
  for (let p = 2; words.length < 2 * count; p++) {
    let d = 2;
    while (p % d) d++;
    if (d < p) continue;
    // Newton's method from above on x = p * 2**(64n), whose root is below 2**67.
    const x = BigInt(p) << (64n * n);
    let root = 1n << 67n;
    let next: bigint;
    while ((next = ((n - 1n) * root + x / root ** (n - 1n)) / n) < root) root = next;
    words.push(Number(BigInt.asIntN(32, root >> 32n)), Number(BigInt.asIntN(32, root)));
  }
  return words;
}

let constants: Words | undefined;

/**
 * SHA-512's 80 round constants (cube roots) then its initial words (square roots), FIPS 180-4
 * §4.2.3, §5.3.5; their high words are SHA-256's (§4.2.2, §5.3.3). Made on first use (a few
 * milliseconds), so that Node, which never calls these functions, does not pay for them.
 */
const sha2Constants = (): Words => (constants ??= [...roots(3n, 80), ...roots(2n, 8)]);

type Eight = [number, number, number, number, number, number, number, number];

export function sha256(data: Uint8Array): string {
  const x = blocks(data, 64);
  const k = sha2Constants();
  let h = k.slice(160).filter((_, i) => i % 2 === 0);
  for (let j = 0; j < x.length; j += 16) {
    const w = x.slice(j, j + 16);
    let [a, b, c, d, e, f, g, hh] = h as Eight;
    for (let t = 0; t < 64; t++) {
      if (t > 15) {
        const [w2, w15] = [w[t - 2]!, w[t - 15]!];
        w[t] =
          (sigma(w2, 17, 19, 10, true) + w[t - 7]! + sigma(w15, 7, 18, 3, true) + w[t - 16]!) | 0;
      }
      const t1 = hh + sigma(e, 6, 11, 25) + ch(e, f, g) + k[2 * t]! + w[t]!;
      const t2 = sigma(a, 2, 13, 22) + maj(a, b, c);
      [a, b, c, d, e, f, g, hh] = [(t1 + t2) | 0, a, b, c, (d + t1) | 0, e, f, g];
    }
    h = add(h, [a, b, c, d, e, f, g, hh]);
  }
  return hex(h);
}

/** SHA-512's hash value from `iv`, as 16 words: high, low, high, low... */
function sha512Words(data: Uint8Array, iv: Words): Words {
  const x = blocks(data, 128);
  const k = sha2Constants();
  let h = iv;
  for (let j = 0; j < x.length; j += 32) {
    // 64-bit words as two 32-bit ones: W[t] is w[2t], w[2t + 1]; t counts by 2 below.
    const w = x.slice(j, j + 32);
    let v = h;
    for (let t = 0; t < 160; t += 2) {
      if (t > 31) {
        w.push(
          ...add64(
            ...sigma64(w[t - 4]!, w[t - 3]!, 19, 61, 6, true),
            w[t - 14]!,
            w[t - 13]!,
            ...sigma64(w[t - 30]!, w[t - 29]!, 1, 8, 7, true),
            w[t - 32]!,
            w[t - 31]!,
          ),
        );
      }
      const [ah, al, bh, bl, ch_, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl] = v as [
        ...Eight,
        ...Eight,
      ];
      const t1 = add64(
        hh,
        hl,
        ...sigma64(eh, el, 14, 18, 41),
        ch(eh, fh, gh),
        ch(el, fl, gl),
        k[t]!,
        k[t + 1]!,
        w[t]!,
        w[t + 1]!,
      );
      const t2 = add64(...sigma64(ah, al, 28, 34, 39), maj(ah, bh, ch_), maj(al, bl, cl));
      // (a, ..., h) becomes (t1 + t2, a, b, c, d + t1, e, f, g)
      v = [...add64(...t1, ...t2), ...v.slice(0, 6), ...add64(dh, dl, ...t1), ...v.slice(8, 14)];
    }
    h = h.flatMap((word, i) => (i % 2 ? [] : add64(word, h[i + 1]!, v[i]!, v[i + 1]!)));
  }
  return h;
}

export const sha512 = (data: Uint8Array): string =>
  hex(sha512Words(data, sha2Constants().slice(160)));

let iv512_256: Words | undefined;

export function sha512_256(data: Uint8Array): string {
  // FIPS 180-4 §5.3.6: the initial words are SHA-512 of "SHA-512/256" from SHA-512's initial
  // words XOR a5a5a5a5a5a5a5a5; the result is cut to 256 bits.
  iv512_256 ??= sha512Words(
    new TextEncoder().encode('SHA-512/256'),
    sha2Constants()
      .slice(160)
      .map((word) => word ^ 0xa5a5a5a5),
  );
  return hex(sha512Words(data, iv512_256).slice(0, 8));
}
