/**
 * Client nonces (RFC 7616 §3.4 `cnonce`): random bytes from the platform's CSPRNG, drawn in
 * batches: one `getRandomValues` call per 256 cnonces rather than one per request (it was the
 * largest single cost of a warm Digest call). Each byte is handed out once, as Node's own
 * `randomUUID` cache does.
 */
const randomPool = { bytes: new Uint8Array(4096), used: 4096 };

/** Lower-case hex of every byte value, so that a cnonce is built without a Uint8Array. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** `count` random bytes as lower-case hex. */
export function randomHex(count: number): string {
  if (randomPool.used + count > randomPool.bytes.length) {
    globalThis.crypto.getRandomValues(randomPool.bytes);
    randomPool.used = 0;
  }
  let hex = '';
  for (let i = randomPool.used; i < randomPool.used + count; i++) {
    hex += HEX_BYTES[randomPool.bytes[i]!];
  }
  randomPool.used += count;
  return hex;
}
