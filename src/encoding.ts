/**
 * Base64 of UTF-8 text, browser-safe. Node's Buffer is not assumed (browser bundles); `btoa` is a
 * global in Node 16+ and every browser, and only ever sees a binary string here.
 */
const encoder = new TextEncoder();

export function base64Utf8(text: string): string {
  const bytes = encoder.encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
