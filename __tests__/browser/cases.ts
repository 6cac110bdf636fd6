/**
 * What the browser suite runs: one entry per case, each run in Chromium through both of axios's
 * browser adapters (xhr and fetch). Adding a scheme to the suite is adding an entry here.
 *
 * This module is loaded twice: bundled into the page (support/browser/page.ts), where `auth`
 * builds the auth object from the bundled package, and by the jest test, which reads the
 * expectations. So it imports only types, and its top level runs in both a browser and Node.
 *
 * The servers (support/browser/api-server.ts) answer under these paths:
 *   /basic/:user/:pass                         Basic
 *   /digest/:algorithm/:qop/:user/:pass        Digest, verified by the server (digest-verifier.ts)
 *   /header/:name/:value[?challenge=...]       200 when that header has that value, else 401
 *   /token                                     an OAuth 2.0 token endpoint (client credentials)
 *   /token-moved                               a 307 to /token
 */
import type * as Package from '../../src/index';
import type { Auth, AuthFlow, AuthRequest } from '../../src/index';

/** The package's exports, as the page's bundle of dist/esm has them. */
export type Library = typeof Package;

export interface CallOutcome {
  /** The final status; null when the call rejects with no response. */
  status: number | null;
  /** `response.history` statuses (`error.response.history` when the call rejects). */
  history: number[];
  /** The call rejects with axios's AxiosError (the final status failed `validateStatus`). */
  rejects?: true;
  /** The call rejects with the package's own error, of this name, with this message. */
  fails?: { name: string; message: RegExp };
}

export interface ServerSaw {
  /** The method, when it is not the case's own (a token request). */
  method?: 'GET' | 'POST';
  /** The server's own account: 'challenged', 'accepted', 'refused: <why>'. */
  verdict: string;
  /** Header values the server received; null: the header was absent. */
  headers?: Record<string, string | RegExp | null>;
  /** The body the server received, as text. */
  body?: string;
}

export interface BrowserCase {
  /** What a user sees, for the test's name. */
  name: string;
  /** Built in the page. One auth object serves every call of the case. */
  auth(lib: Library): Auth;
  request: { method: 'GET' | 'POST'; path: string; data?: unknown };
  /** One entry per call, made one after another with the same auth object. */
  calls: CallOutcome[];
  /** Every request the server saw, in order, CORS preflights left out. */
  server: ServerSaw[];
}

const basic = (user: string, pass: string): string => `Basic ${btoa(`${user}:${pass}`)}`;

/** A Digest Authorization with these parameters, in any order, quoted or not. */
const digest = (params: Record<string, string>): RegExp =>
  new RegExp(
    `^Digest ${Object.entries(params)
      .map(
        ([name, value]) =>
          `(?=(?:.*[ ,])?${name}="?${value.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}"?(?:,|$))`,
      )
      .join('')}`,
  );

/** httpx's custom-flow example: send as is, and on a 401 send again with X-Authentication. */
function tokenOn401({ Auth }: Library, token: string): Auth {
  return new (class TokenOn401 extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        request.headers.set('X-Authentication', token);
        yield request;
      }
    }
  })();
}

const challenged: ServerSaw = { verdict: 'challenged', headers: { authorization: null } };
const POST_BODY = { greeting: 'hello, wörld', n: 1 };

export const browserCases: BrowserCase[] = [
  {
    name: 'Basic: one request, the credentials sent up front',
    auth: ({ BasicAuth }) => new BasicAuth('finley', 'secret'),
    request: { method: 'GET', path: '/basic/finley/secret' },
    calls: [{ status: 200, history: [] }],
    server: [{ verdict: 'accepted', headers: { authorization: basic('finley', 'secret') } }],
  },
  {
    name: 'Basic: a wrong password rejects with the 401',
    auth: ({ BasicAuth }) => new BasicAuth('finley', 'wrong'),
    request: { method: 'GET', path: '/basic/finley/secret' },
    calls: [{ status: 401, history: [], rejects: true }],
    server: [{ verdict: 'refused: wrong credentials' }],
  },
  {
    name: 'Digest MD5: the 401 challenge, then a digest the server verifies',
    auth: ({ DigestAuth }) => new DigestAuth('olivia', 'secret'),
    request: { method: 'GET', path: '/digest/MD5/auth/olivia/secret' },
    calls: [{ status: 200, history: [401] }],
    server: [
      challenged,
      {
        verdict: 'accepted',
        headers: {
          authorization: digest({
            username: 'olivia',
            algorithm: 'MD5',
            qop: 'auth',
            nc: '00000001',
          }),
        },
      },
    ],
  },
  {
    name: 'Digest SHA-256: the 401 challenge, then a digest the server verifies',
    auth: ({ DigestAuth }) => new DigestAuth('olivia', 'secret'),
    request: { method: 'GET', path: '/digest/SHA-256/auth/olivia/secret' },
    calls: [{ status: 200, history: [401] }],
    server: [
      challenged,
      {
        verdict: 'accepted',
        headers: {
          authorization: digest({ username: 'olivia', algorithm: 'SHA-256', qop: 'auth' }),
        },
      },
    ],
  },
  {
    name: 'Digest SHA-256 qop=auth-int: a POST whose body hash the server verifies',
    auth: ({ DigestAuth }) => new DigestAuth('olivia', 'secret'),
    request: { method: 'POST', path: '/digest/SHA-256/auth-int/olivia/secret', data: POST_BODY },
    calls: [{ status: 200, history: [401] }],
    server: [
      { ...challenged, body: JSON.stringify(POST_BODY) },
      {
        verdict: 'accepted',
        headers: {
          authorization: digest({ username: 'olivia', algorithm: 'SHA-256', qop: 'auth-int' }),
          'content-type': /^application\/json/,
        },
        body: JSON.stringify(POST_BODY),
      },
    ],
  },
  {
    name: 'Digest: the next call uses the nextnonce read from Authentication-Info',
    auth: ({ DigestAuth }) => new DigestAuth('olivia', 'secret'),
    // A nonce serves once here: without the exposed header the second call would get a 401.
    request: { method: 'GET', path: '/digest/SHA-256/auth/olivia/secret?nextnonce=1' },
    calls: [
      { status: 200, history: [401] },
      { status: 200, history: [] },
    ],
    server: [challenged, { verdict: 'accepted' }, { verdict: 'accepted' }],
  },
  {
    name: 'Digest: a wrong password rejects with AxiosError, response.history filled',
    auth: ({ DigestAuth }) => new DigestAuth('olivia', 'wrong'),
    request: { method: 'GET', path: '/digest/MD5/auth/olivia/secret' },
    calls: [{ status: 401, history: [401], rejects: true }],
    server: [challenged, { verdict: 'refused: wrong response' }],
  },
  {
    name: 'custom flow: a 401, then the same request with X-Authentication',
    auth: (lib) => tokenOn401(lib, 't0ken'),
    request: { method: 'GET', path: '/header/X-Authentication/t0ken' },
    calls: [{ status: 200, history: [401] }],
    server: [
      { verdict: 'challenged', headers: { 'x-authentication': null } },
      { verdict: 'accepted', headers: { 'x-authentication': 't0ken', authorization: null } },
    ],
  },
  {
    name: 'custom flow: a refused token rejects with AxiosError, response.history filled',
    auth: (lib) => tokenOn401(lib, 'stale'),
    request: { method: 'GET', path: '/header/X-Authentication/t0ken' },
    calls: [{ status: 401, history: [401], rejects: true }],
    server: [
      { verdict: 'challenged' },
      { verdict: 'refused: wrong value', headers: { 'x-authentication': 'stale' } },
    ],
  },
  {
    name: 'BearerAuth: the token from an async function, sent up front',
    auth: ({ BearerAuth }) => new BearerAuth(() => Promise.resolve('b3arer')),
    request: { method: 'GET', path: '/header/Authorization/Bearer%20b3arer' },
    calls: [{ status: 200, history: [] }],
    server: [{ verdict: 'accepted', headers: { authorization: 'Bearer b3arer' } }],
  },
  {
    name: 'OAuth2Auth: one token request (client credentials), then the call with its token',
    auth: ({ OAuth2Auth }) =>
      new OAuth2Auth({ tokenUrl: '/token', clientId: 'app', clientSecret: 's3cret' }),
    request: { method: 'GET', path: '/header/Authorization/Bearer%20browser-access' },
    // The second call reuses the token: no second token request.
    calls: [
      { status: 200, history: [200] },
      { status: 200, history: [] },
    ],
    server: [
      {
        method: 'POST',
        verdict: 'token issued',
        headers: { authorization: basic('app', 's3cret') },
      },
      { verdict: 'accepted', headers: { authorization: 'Bearer browser-access' } },
      { verdict: 'accepted', headers: { authorization: 'Bearer browser-access' } },
    ],
  },
  {
    // Its body is credentials: a redirect that would resend it is not followed, also where the
    // browser follows redirects itself (XHR) or hides them (fetch's manual mode).
    name: 'OAuth2Auth: a token endpoint that answers 307 is not followed',
    auth: ({ OAuth2Auth }) =>
      new OAuth2Auth({ tokenUrl: '/token-moved', clientId: 'app', clientSecret: 's3cret' }),
    request: { method: 'GET', path: '/header/Authorization/Bearer%20browser-access' },
    calls: [
      {
        status: null,
        history: [],
        fails: { name: 'AuthFlowError', message: /redirect .*follows no redirects/ },
      },
    ],
    server: [
      { method: 'POST', verdict: 'moved', headers: { authorization: basic('app', 's3cret') } },
    ],
  },
];
