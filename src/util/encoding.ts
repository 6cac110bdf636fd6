/**
 * Text and bytes, browser-safe. Node's Buffer is not assumed (browser bundles); `btoa` is a
 * global in Node 16+ and every browser, and only ever sees a binary string here.
 */

/** One encoder for the package: it holds no state, so every module can share it. */
export const utf8Encoder = new TextEncoder();

/**
 * Bytes as a binary string (one character per byte). In chunks, because spreading a large
 * array into `String.fromCharCode` overflows the call stack.
 */
export function bytesToBinary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

/** Base64 of UTF-8 text (Basic's credentials). */
export function base64Utf8(text: string): string {
  return btoa(bytesToBinary(utf8Encoder.encode(text)));
}
