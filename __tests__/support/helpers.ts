/**
 * Shared by the core tests (driver, seed, basic, auth): an httpbin per test file, and small
 * flows used across files. Not a test file itself (jest only runs `*.test.ts`).
 */
import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { startHttpbin, json, type Httpbin, type RecordedRequest, type Route } from './httpbin';

/**
 * Start one httpbin for the file and forget its recorded requests before each test, so that
 * `server().requests` is exactly what the test's calls sent.
 */
export function useHttpbin(routes: Route[] = []): () => Httpbin {
  let server: Httpbin | undefined;
  beforeAll(async () => {
    server = await startHttpbin(routes);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    if (!server) return;
    server.requests.length = 0;
    server.tokens.accessToken = 'access-0';
    server.tokens.refreshToken = 'refresh-0';
    server.tokens.refreshes = 0;
  });
  return () => {
    if (!server) throw new Error('httpbin is not started');
    return server;
  };
}

/** The Basic header a server expects for these credentials (computed independently of src/). */
export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Paths the server received, in order. */
export function paths(requests: RecordedRequest[]): string[] {
  return requests.map((request) => request.path);
}

export const SIGNING_KEY = 'signing-key';

/** The signature the `/signed` route expects: HMAC-SHA256 of method, URL and body bytes. */
export function signature(method: string, url: string, body: Uint8Array): string {
  return createHmac('sha256', SIGNING_KEY).update(`${method}\n${url}\n`).update(body).digest('hex');
}

/**
 * `/signed...`: 200 when `X-Signature` is the HMAC of what the server really received (method,
 * full URL, body bytes), else 401. Proves a `requiresRequestBody` flow signed the bytes sent.
 */
export const signedRoute: Route = (request: RecordedRequest, response: http.ServerResponse) => {
  if (!request.path.startsWith('/signed')) return false;
  const host = String(request.headers.host);
  const expected = signature(request.method, `http://${host}${request.path}`, request.body);
  if (request.headers['x-signature'] === expected) {
    return json(response, 200, { verified: true, length: request.body.length });
  }
  return json(response, 401, { verified: false });
};

/** A mutual-exclusion lock for async flows (what `asyncio.Lock` is in the httpx example). */
export class Lock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}
