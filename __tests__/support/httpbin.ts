/**
 * A small httpbin-like server on 127.0.0.1, in process: the demo runs the seed's examples
 * against it, and the integration tests assert on what it received. Every request is recorded
 * (method, path, headers, body) so a test can check the headers the server really got and how
 * many exchanges a call cost.
 *
 * Endpoints (httpbin's names where httpbin has one):
 *   GET  /basic-auth/:user/:pass     200 when Basic credentials match, else 401 + challenge
 *   ANY  /anything[/...]             echo of method, url, headers and body
 *   GET  /headers                    echo of the headers
 *   GET  /status/:code               that status
 *   GET  /redirect-to?url=&status_code=   a redirect
 *   GET  /delay/:ms                  answers after a delay
 *   GET  /stream-bytes/:n            n bytes, chunked
 *   POST /token                      exchanges a refresh token for a new access token
 *   GET  /protected                  200 with the current access token in X-Authentication, else 401
 *   ANY  /digest-auth/:qop/:user/:pass[/:algorithm[/:staleAfter]]   Digest, verified (digest-server.ts)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { digestRoute } from './digest-server';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Route = (
  request: RecordedRequest,
  response: http.ServerResponse,
  server: Httpbin,
) => boolean | Promise<boolean>;

/** Token endpoint state: the refresh flow of the seed's custom-auth example runs against it. */
export interface TokenState {
  accessToken: string;
  refreshToken: string;
  /** How many times /token issued a token. */
  refreshes: number;
}

export interface Httpbin {
  /** `http://127.0.0.1:PORT` */
  url: string;
  requests: RecordedRequest[];
  tokens: TokenState;
  /** Routes tried before the built-in ones (a test's own endpoints). */
  routes: Route[];
  close(): Promise<void>;
}

export async function startHttpbin(extraRoutes: Route[] = []): Promise<Httpbin> {
  const state: Httpbin = {
    url: '',
    requests: [],
    tokens: { accessToken: 'access-0', refreshToken: 'refresh-0', refreshes: 0 },
    routes: [...extraRoutes],
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      state.requests.push(recorded);
      handle(recorded, res, state).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

async function handle(
  request: RecordedRequest,
  res: http.ServerResponse,
  state: Httpbin,
): Promise<unknown> {
  for (const route of state.routes) {
    if (await route(request, res, state)) return;
  }
  if (await digestRoute(request, res, state)) return;
  const url = new URL(request.path, 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

  if (parts[0] === 'basic-auth' && parts.length === 3) {
    const [, user, pass] = parts as [string, string, string];
    const expected = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
    if (request.headers.authorization === expected) {
      return json(res, 200, { authenticated: true, user });
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="Fake Realm"');
    return json(res, 401, { authenticated: false });
  }
  if (parts[0] === 'anything' || parts[0] === 'headers') {
    return json(res, 200, {
      method: request.method,
      url: request.path,
      headers: request.headers,
      data: request.body.toString('utf8'),
    });
  }
  if (parts[0] === 'status' && parts[1]) {
    return json(res, Number(parts[1]), { status: Number(parts[1]) });
  }
  if (parts[0] === 'redirect-to') {
    res.writeHead(Number(url.searchParams.get('status_code') ?? 302), {
      Location: url.searchParams.get('url') ?? '/',
    });
    res.end();
    return;
  }
  if (parts[0] === 'delay' && parts[1]) {
    await new Promise((resolve) => setTimeout(resolve, Number(parts[1])));
    return json(res, 200, { delayed: Number(parts[1]) });
  }
  if (parts[0] === 'stream-bytes' && parts[1]) {
    const size = Number(parts[1]);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    for (let sent = 0; sent < size; sent += 1024) {
      res.write(Buffer.alloc(Math.min(1024, size - sent), 'a'));
    }
    res.end();
    return;
  }
  if (parts[0] === 'token' && request.method === 'POST') {
    const body = parseBody(request);
    if (body.refresh_token !== state.tokens.refreshToken) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    state.tokens.refreshes += 1;
    state.tokens.accessToken = `access-${state.tokens.refreshes}`;
    state.tokens.refreshToken = `refresh-${state.tokens.refreshes}`;
    return json(res, 200, {
      access_token: state.tokens.accessToken,
      refresh_token: state.tokens.refreshToken,
    });
  }
  if (parts[0] === 'protected') {
    if (request.headers['x-authentication'] === state.tokens.accessToken) {
      return json(res, 200, { authenticated: true });
    }
    return json(res, 401, { authenticated: false });
  }
  json(res, 404, { error: 'not found' });
}

function parseBody(request: RecordedRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if (String(request.headers['content-type']).includes('json')) {
    return JSON.parse(text || '{}') as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function json(res: http.ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
  return true;
}
