/**
 * The API servers of the browser tests: plain `node:http` servers on 127.0.0.1, each on its own
 * port, so a page served from another port calls them cross-origin, through CORS, as a web app
 * calls its API. They answer preflights (`Access-Control-Max-Age: 0`, so Chromium asks every
 * time instead of depending on a cache) and expose `WWW-Authenticate` and `Authentication-Info`,
 * without which a page reads no challenge and no nextnonce.
 *
 * Routes are tried in order; each returns an answer with a `verdict` (what the server made of
 * the request: 'challenged', 'accepted', 'refused: ...'), or undefined to pass. Every request
 * but the preflights is recorded with its headers, body and verdict, so tests assert what the
 * server received rather than what the page says it sent.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** The request target as received: path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Answer {
  status: number;
  verdict: string;
  headers?: Record<string, string>;
  /** Sent as JSON, unless `text` is given. */
  body?: unknown;
  /** Sent as is, with `headers` giving its Content-Type. */
  text?: string;
}

export type Route = (exchange: Exchange) => Answer | undefined;

export interface SeenRequest extends Exchange {
  verdict: string;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Requests seen since the last `reset()`, preflights left out. */
  seen: SeenRequest[];
  /** Preflights seen since the last `reset()`: their `Access-Control-Request-Headers`. */
  preflights: string[];
  reset(): void;
  close(): Promise<void>;
}

/** What a preflight may ask for: the headers the auth schemes under test set. */
export const ALLOWED_HEADERS = ['Authorization', 'X-Authentication', 'Content-Type'];

const EXPOSED_HEADERS = ['WWW-Authenticate', 'Authentication-Info'];

export async function startApiServer(
  routes: Route[],
  allowedHeaders: string[] = ALLOWED_HEADERS,
): Promise<ApiServer> {
  const state = { seen: [] as SeenRequest[], preflights: [] as string[] };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
      response.setHeader('Vary', 'Origin');
      // For the calls made with `withCredentials: true` (see chromium-challenges.test.ts).
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        state.preflights.push(request.headers['access-control-request-headers'] ?? '');
        response.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
          'Access-Control-Allow-Headers': allowedHeaders.join(', '),
          'Access-Control-Max-Age': '0',
        });
        response.end();
        return;
      }
      const exchange: Exchange = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      let answer: Answer | undefined;
      try {
        answer = routes.reduce<Answer | undefined>(
          (found, route) => found ?? route(exchange),
          undefined,
        );
      } catch (error) {
        answer = { status: 500, verdict: `server error: ${(error as Error).message}` };
      }
      answer ??= { status: 404, verdict: 'no route' };
      state.seen.push({ ...exchange, verdict: answer.verdict });
      const bytes = Buffer.from(
        answer.text ?? JSON.stringify(answer.body ?? { verdict: answer.verdict }),
      );
      response.writeHead(answer.status, {
        'Content-Type': 'application/json',
        ...answer.headers,
        'Content-Length': String(bytes.length),
      });
      response.end(bytes);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get seen() {
      return state.seen;
    },
    get preflights() {
      return state.preflights;
    },
    reset() {
      state.seen = [];
      state.preflights = [];
    },
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

/** `ANY /basic/:user/:pass`: Basic (RFC 7617), challenging with realm "browser Basic". */
export const basicRoute: Route = ({ path, headers }) => {
  const match = /^\/basic\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const expected = `Basic ${Buffer.from(`${match[1]}:${match[2]}`).toString('base64')}`;
  const sent = headers.authorization;
  if (sent === expected) return { status: 200, verdict: 'accepted', body: { user: match[1] } };
  return {
    status: 401,
    verdict: sent === undefined ? 'challenged' : 'refused: wrong credentials',
    headers: { 'WWW-Authenticate': 'Basic realm="browser Basic"' },
  };
};

/**
 * `ANY /header/:name/:value[?challenge=...]`: a 200 when the request carries that header with
 * that value, else a 401 (with `WWW-Authenticate: <challenge>` when asked): the server of
 * custom flows and token schemes.
 */
export const headerRoute: Route = ({ path, headers }) => {
  const url = new URL(path, 'http://127.0.0.1');
  const match = /^\/header\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!).toLowerCase();
  const value = decodeURIComponent(match[2]!);
  const sent = headers[name];
  if (sent === value) return { status: 200, verdict: 'accepted', body: { [name]: sent } };
  const challenge = url.searchParams.get('challenge');
  return {
    status: 401,
    verdict: sent === undefined ? 'challenged' : 'refused: wrong value',
    ...(challenge === null ? {} : { headers: { 'WWW-Authenticate': challenge } }),
  };
};

/** `ANY /token-moved`: a token endpoint that moved, answering 307 to `/token`. */
export const movedTokenRoute: Route = ({ path }) =>
  path === '/token-moved'
    ? { status: 307, verdict: 'moved', headers: { Location: '/token' } }
    : undefined;

/**
 * `POST /token`: an OAuth 2.0 token endpoint (RFC 6749 §4.4) for the client `app` with the
 * secret `s3cret`, sent as client_secret_basic; it issues the access token `browser-access`.
 */
export const tokenRoute: Route = ({ method, path, headers, body }) => {
  if (path !== '/token') return undefined;
  const form = new URLSearchParams(body.toString('utf8'));
  const client = `Basic ${Buffer.from('app:s3cret').toString('base64')}`;
  if (method !== 'POST' || form.get('grant_type') !== 'client_credentials') {
    return {
      status: 400,
      verdict: 'refused: not a client_credentials grant',
      body: { error: 'unsupported_grant_type' },
    };
  }
  if (headers.authorization !== client) {
    return { status: 401, verdict: 'refused: wrong client', body: { error: 'invalid_client' } };
  }
  return {
    status: 200,
    verdict: 'token issued',
    body: { access_token: 'browser-access', token_type: 'Bearer', expires_in: 3600 },
  };
};
