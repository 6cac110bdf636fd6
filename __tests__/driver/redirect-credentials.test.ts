/**
 * Which headers count as credentials on a redirect, beyond the first call of an auth:
 * - a call retried from `error.config` (by hand, or by axios-retry) starts with the headers the
 *   auth set last time; they are still its credentials and stay off another origin;
 * - a new request a flow builds (a login step) keeps the headers that describe it
 *   (`Content-Type`, `Accept`) on a cross-origin 307, and loses its credentials;
 * - OAuth2's token request, whose body is credentials, follows no redirect at all.
 * Both adapters, asserting what the other server received.
 */
import axios, { AxiosError } from 'axios';
import axiosRetry from 'axios-retry';
import {
  Auth,
  AuthRequest,
  OAuth2Auth,
  OAuth2Error,
  withAuth,
  type AuthFlow,
} from '../../src/index';
import { Credentials, rememberAuthHeaders } from '../../src/driver/redirects';
import { json, startHttpbin, type Httpbin, type Route } from '../support/httpbin';

let first: Httpbin;
let other: Httpbin;
/** `/flaky?to=URL`: 503 the first time, then a 302 to `to`. */
let flakyCalls = 0;

const routes: Route[] = [
  (req, res) => {
    const url = new URL(req.path, 'http://x');
    if (url.pathname !== '/flaky') return false;
    flakyCalls += 1;
    if (flakyCalls === 1) res.writeHead(503);
    else res.writeHead(302, { Location: url.searchParams.get('to') ?? '/' });
    res.end();
    return true;
  },
  (req, res) => {
    const url = new URL(req.path, 'http://x');
    if (url.pathname !== '/move') return false;
    res.writeHead(307, { Location: url.searchParams.get('to') ?? '/' });
    res.end();
    return true;
  },
  (req, res) => {
    if (!req.path.startsWith('/oauth/token')) return false;
    if (!String(req.headers['content-type']).includes('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request' });
    }
    return json(res, 200, { access_token: 'fresh', token_type: 'Bearer', expires_in: 3600 });
  },
];

beforeAll(async () => {
  first = await startHttpbin(routes);
  other = await startHttpbin(routes);
});
afterAll(async () => {
  await first.close();
  await other.close();
});
beforeEach(() => {
  first.requests.length = 0;
  other.requests.length = 0;
  flakyCalls = 0;
});

class ApiKeyFlow extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    request.headers.set('X-Api-Key', 'flow-key');
    yield request;
  }
}

const apiKeyFunction = (request: AuthRequest): AuthRequest => {
  request.headers.set('X-Api-Key', 'function-key');
  return request;
};

const auths: [string, () => Auth | typeof apiKeyFunction][] = [
  // A new function each time: the package remembers, per auth, the names it set.
  ['a function', () => (request: AuthRequest) => apiKeyFunction(request)],
  ['a custom flow', () => new ApiKeyFlow()],
];
const adapters = ['http', 'fetch'] as const;

function flakyUrl(): string {
  return `${first.url}/flaky?to=${encodeURIComponent(`${other.url}/anything`)}`;
}

describe.each(adapters)('with the %s adapter', (adapter) => {
  const client = () => withAuth(axios.create({ adapter }));

  describe.each(auths)('an X-Api-Key set by %s', (_name, makeAuth) => {
    test('stays off another origin when error.config is sent again', async () => {
      const instance = client();
      const error = await instance.get(flakyUrl(), { auth: makeAuth() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AxiosError);
      const config = (error as AxiosError).config!;
      expect(config.headers['X-Api-Key']).toBeDefined(); // what the retry starts with
      const response = await instance.request(config);
      expect(response.status).toBe(200);
      expect(first.requests.map((r) => r.headers['x-api-key'])).toEqual([
        expect.stringMatching(/-key$/),
        expect.stringMatching(/-key$/),
      ]);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]?.headers['x-api-key']).toBeUndefined();
      expect(other.requests[0]?.headers['user-agent']).toBe(
        first.requests[0]?.headers['user-agent'],
      );
    });

    test('stays off another origin when axios-retry retries the call', async () => {
      const instance = withAuth(axios.create({ adapter, auth: makeAuth() }));
      axiosRetry(instance, { retries: 2, retryDelay: () => 0 });
      const response = await instance.get(flakyUrl());
      expect(response.status).toBe(200);
      expect(first.requests).toHaveLength(2);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]?.headers['x-api-key']).toBeUndefined();
    });
  });

  test.each(['post', 'basic'] as const)(
    "OAuth2Auth's token request (client_secret_%s) follows no redirect",
    async (clientAuthentication) => {
      const tokenUrl = `${first.url}/move?to=${encodeURIComponent(`${other.url}/oauth/token`)}`;
      const auth = new OAuth2Auth({
        tokenUrl,
        clientId: 'app',
        clientSecret: 'client-secret',
        clientAuthentication,
      });
      const error = await client()
        .get(`${first.url}/anything`, { auth })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuth2Error);
      const { message } = error as OAuth2Error;
      expect(message).toContain(
        `answered 307 (a redirect to ${other.url}/oauth/token); a token request does not follow ` +
          'redirects, since its body carries credentials: set tokenUrl to the address it leads to',
      );
      expect(message).not.toContain('client-secret');
      expect(other.requests).toHaveLength(0);
      expect(first.requests.map((r) => r.path.split('?')[0])).toEqual(['/move']);
    },
  );

  test('a request a flow builds keeps Content-Type and Accept, not its key, across origins', async () => {
    const target = `${first.url}/move?to=${encodeURIComponent(`${other.url}/anything`)}`;
    class Login extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield {
          method: 'post',
          url: target,
          data: { user: 'ana' },
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'X-Login-Key': 'secret',
          },
        };
        yield request;
      }
    }
    await client().get(`${first.url}/anything`, { auth: new Login() });
    const moved = other.requests[0];
    expect(moved?.method).toBe('POST');
    expect(moved?.body.toString()).toBe('{"user":"ana"}');
    expect(moved?.headers['content-type']).toBe('application/json');
    expect(moved?.headers.accept).toBe('application/json');
    expect(moved?.headers['x-login-key']).toBeUndefined();
  });
});

describe('what an auth set on earlier calls (the memory behind a retry)', () => {
  /** The credentials of a retried request whose headers already hold what the auth set. */
  const credentialsOf = (owner: object, headers: Record<string, string>): string[] => [
    ...new Credentials(headers, { ...headers }, undefined, owner).found.keys(),
  ];

  test('counts a header the auth set before, even when it is unchanged now', () => {
    const owner = {};
    rememberAuthHeaders(owner, { 'X-Api-Key': 'k', Accept: 'x/y' }, { Accept: 'a/b' });
    expect(credentialsOf(owner, { 'X-Api-Key': 'k', Accept: 'x/y', 'X-Other': 'o' })).toEqual([
      'x-api-key',
    ]);
    expect(credentialsOf({}, { 'X-Api-Key': 'k' })).toEqual([]); // another auth: nothing known
  });

  test('keeps at most 32 names per auth, dropping the one set least recently', () => {
    const owner = {};
    const set = (name: string): void => rememberAuthHeaders(owner, { [name]: 'v' }, {});
    set('X-Api-Key');
    for (let i = 0; i < 30; i++) set(`X-Once-${i}`);
    set('X-Api-Key'); // set again: now the most recent
    set('X-Once-30');
    set('X-Once-31'); // the 33rd name: the least recently set one goes
    expect(credentialsOf(owner, { 'X-Api-Key': 'v' })).toEqual(['x-api-key']);
    expect(credentialsOf(owner, { 'X-Once-0': 'v' })).toEqual([]);
    expect(credentialsOf(owner, { 'X-Once-1': 'v' })).toEqual(['x-once-1']);
    expect(credentialsOf(owner, { 'X-Once-31': 'v' })).toEqual(['x-once-31']);
  });

  test('never remembers the standard credentials or the headers that are never credentials', () => {
    const owner = {};
    const set = {
      Authorization: 'Basic x',
      'User-Agent': 'mine',
      'Accept-Language': 'fr',
      'Content-Type': 'text/plain',
    };
    rememberAuthHeaders(owner, set, {});
    expect(credentialsOf(owner, set)).toEqual(['authorization']); // standard: always, not remembered
  });
});
