/**
 * Request and response bodies as bytes, for flows that sign or hash a body (`requiresRequestBody`,
 * Digest `auth-int`) or read a response (`requiresResponseBody`), and so that a body can be sent
 * more than once. Browser-safe: no Node module is imported; streams are read through their
 * async iterator, FormData through the platform's `Response`.
 */
import { utf8Encoder as encoder } from '../util/encoding.js';
import { describeValue } from '../util/describe.js';

/** A body whose bytes are at hand without reading anything (what `bodyToBytes` converts). */
export function isInMemoryBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams
  );
}

/** Bytes of a body already in memory (what `transformRequest` leaves), or undefined for a stream. */
export function bodyToBytes(body: unknown): Uint8Array | undefined {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) {
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  if (body instanceof URLSearchParams) return encoder.encode(body.toString());
  return undefined;
}

interface NodeBuffer {
  isBuffer(value: unknown): boolean;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
}

/**
 * Bytes as a Node Buffer over the same memory where there is one (what axios's Node adapter
 * sends, and gives for `responseType: 'arraybuffer'`), as they are elsewhere. `Buffer` is looked
 * up on `globalThis` so that no bundler polyfills it into a browser build.
 */
export function asBuffer(bytes: Uint8Array): Uint8Array {
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (!buffer || buffer.isBuffer(bytes)) return bytes;
  return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A body in a form every adapter sends. axios's Node adapter takes a Buffer, ArrayBuffer, string
 * or stream but rejects a plain Uint8Array ("Data after transformation must be ..."), which is
 * what `TextEncoder`, a flow setting `request.content`, and reading a stream of several chunks
 * give: those become a Buffer. Browsers' adapters take a Uint8Array as is.
 */
export function toSendable(body: unknown): unknown {
  return body instanceof Uint8Array ? asBuffer(body) : body;
}

/** A WHATWG ReadableStream: what the fetch adapter gives for `responseType: 'stream'`. */
export function isWebStream(body: unknown): body is ReadableStream<Uint8Array> {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { getReader?: unknown }).getReader === 'function'
  );
}

/** Read a WHATWG stream through its reader (not every browser makes it async-iterable). */
export async function readWebStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return concat(chunks);
}

/** A WHATWG stream of these bytes, for a caller who asked for a stream. */
export function webStreamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * A response body nobody will read: a Node stream is drained, a WHATWG stream cancelled, so that
 * the keep-alive connection is released and can be reused.
 */
export function discardBody(body: unknown): void {
  if (isStreamBody(body)) (body as { resume?: () => void }).resume?.();
  else if (isWebStream(body) && !body.locked) body.cancel().catch(() => undefined);
}

/** A Node readable stream (what axios sends by piping). */
export function isStreamBody(body: unknown): body is AsyncIterable<unknown> {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { pipe?: unknown }).pipe === 'function' &&
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

export async function readStream(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : (chunk as Uint8Array));
  }
  return concat(chunks);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** Any body axios can send, read into bytes; FormData also gives the Content-Type with its boundary. */
export async function readBody(
  body: unknown,
): Promise<{ bytes: Uint8Array; contentType?: string }> {
  const inMemory = bodyToBytes(body);
  if (inMemory) return { bytes: inMemory };
  if (isStreamBody(body)) return { bytes: await readStream(body) };
  if (isWebStream(body)) return { bytes: await readWebStream(body) };
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return { bytes: new Uint8Array(await body.arrayBuffer()) };
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const encoded = new Response(body);
    const contentType = encoded.headers.get('content-type') ?? undefined;
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    return contentType ? { bytes, contentType } : { bytes };
  }
  // The `form-data` package, which axios's Node adapter also accepts.
  const legacyForm = body as {
    getBuffer?: () => Uint8Array;
    getHeaders?: () => Record<string, string>;
  };
  if (typeof legacyForm.getBuffer === 'function') {
    const contentType = legacyForm.getHeaders?.()['content-type'];
    const bytes = legacyForm.getBuffer();
    return contentType ? { bytes, contentType } : { bytes };
  }
  throw new TypeError(
    `axios-auth-flow: cannot read a request body of type ${describeValue(body)} into bytes`,
  );
}
