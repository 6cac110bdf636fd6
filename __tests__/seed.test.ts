/**
 * Every example of httpx's "Authentication" page (shared/seed), in TypeScript, against the
 * in-process httpbin on 127.0.0.1. Digest and NetRC examples live with their modules' tests.
 */
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import {
  Auth,
  AuthRequest,
  BasicAuth,
  withAuth,
  type AsyncAuthFlow,
  type AuthFlow,
  type FlowRequest,
} from '../src/index';
import {
  Lock,
  basicHeader,
  paths,
  rejectionOf,
  signature,
  signedRoute,
  useHttpbin,
} from './support/helpers';

const server = useHttpbin([signedRoute]);

describe('Basic authentication, as the seed page shows it', () => {
  test('per request: BasicAuth({ username, password }) on one call', async () => {
    const auth = new BasicAuth({ username: 'username', password: 'secret' });
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/basic-auth/username/secret`, { auth });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ authenticated: true, user: 'username' });
    expect(server().requests).toHaveLength(1);
    expect(server().requests[0]?.headers.authorization).toBe(basicHeader('username', 'secret'));
  });

  test('per request: a call without auth on the same client sends no credentials', async () => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { auth: new BasicAuth('username', 'secret') });
    await client.get(`${server().url}/anything`);
    expect(server().requests.map((request) => request.headers.authorization)).toEqual([
      basicHeader('username', 'secret'),
      undefined,
    ]);
  });

  test('on the client: every request is authenticated', async () => {
    const auth = new BasicAuth({ username: 'username', password: 'secret' });
    const client = withAuth(axios.create({ auth }));
    const first = await client.get(`${server().url}/basic-auth/username/secret`);
    const second = await client.get(`${server().url}/anything`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(server().requests.map((request) => request.headers.authorization)).toEqual([
      basicHeader('username', 'secret'),
      basicHeader('username', 'secret'),
    ]);
  });

  test('finley: GET /basic-auth/finley/secret is 200 with an empty history', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('finley', 'secret') }));
    const response = await client.get(`${server().url}/basic-auth/finley/secret`);
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests).toHaveLength(1);
  });

  test('wrong Basic credentials reject with the 401 as axios does', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('finley', 'wrong') }));
    const error = await rejectionOf(client.get(`${server().url}/basic-auth/finley/secret`));
    expect(axios.isAxiosError(error)).toBe(true);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401);
    expect(axios.isAxiosError(error) && error.response?.history).toEqual([]);
  });
});

describe('the other auth forms of the seed page', () => {
  test('a [username, password] tuple is Basic', async () => {
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/basic-auth/finley/secret`, {
      auth: ['finley', 'secret'],
    });
    expect(response.status).toBe(200);
    expect(server().requests[0]?.headers.authorization).toBe(basicHeader('finley', 'secret'));
  });

  test('a [username, password] tuple on the client is Basic', async () => {
    const client = withAuth(axios.create({ auth: ['finley', 'secret'] }));
    const response = await client.get(`${server().url}/basic-auth/finley/secret`);
    expect(response.status).toBe(200);
  });

  test('a callable takes the request and returns the authenticated request', async () => {
    const seen: AuthRequest[] = [];
    const sign = (request: AuthRequest): AuthRequest => {
      seen.push(request);
      request.headers.set('X-Authentication', 'from-a-function');
      return request;
    };
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/anything?x=1`, { auth: sign });
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url.href).toBe(`${server().url}/anything?x=1`);
    expect(server().requests[0]?.headers['x-authentication']).toBe('from-a-function');
  });

  test('an async callable is awaited', async () => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, {
      auth: async (request: AuthRequest) => {
        await new Promise((resolve) => setImmediate(resolve));
        request.headers.set('X-Authentication', 'later');
        return request;
      },
    });
    expect(server().requests[0]?.headers['x-authentication']).toBe('later');
  });
});

describe('custom authentication schemes (subclasses of Auth)', () => {
  test('a custom X-Authentication header on every request', async () => {
    class MyCustomAuth extends Auth {
      constructor(private readonly token: string) {
        super();
      }
      override *authFlow(request: AuthRequest): AuthFlow {
        // Send the request, with a custom `X-Authentication` header.
        request.headers.set('X-Authentication', this.token);
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new MyCustomAuth('access-0') }));
    const response = await client.get(`${server().url}/protected`);
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests.map((request) => request.headers['x-authentication'])).toEqual([
      'access-0',
    ]);
  });

  class ResendOn401 extends Auth {
    constructor(private readonly token: string) {
      super();
    }
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        // If the server issues a 401 response then resend the request,
        // with a custom `X-Authentication` header.
        request.headers.set('X-Authentication', this.token);
        yield request;
      }
    }
  }

  test('resend with X-Authentication after a 401: two requests, the 401 in history', async () => {
    const client = withAuth(axios.create({ auth: new ResendOn401('access-0') }));
    const response = await client.get(`${server().url}/protected`);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ authenticated: true });
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
    expect(response.history[0]?.data).toEqual({ authenticated: false });
    expect(server().requests.map((request) => request.headers['x-authentication'])).toEqual([
      undefined,
      'access-0',
    ]);
  });

  test('resend on 401 is not needed when the first answer is 200: one request', async () => {
    const client = withAuth(axios.create({ auth: new ResendOn401('unused') }));
    const response = await client.get(`${server().url}/anything`);
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests).toHaveLength(1);
  });

  class SigningAuth extends Auth {
    override readonly requiresRequestBody = true;
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        // Sign method, URL and the body bytes, as the seed's `sign_request(...)` suggests.
        request.headers.set('X-Signature', this.signRequest(request));
        yield request;
      }
    }
    signRequest(request: AuthRequest): string {
      return signature(request.method, request.url.href, request.content);
    }
  }

  test('requiresRequestBody: the flow signs the body bytes the server receives', async () => {
    const client = withAuth(axios.create({ baseURL: server().url, auth: new SigningAuth() }));
    const body = { amount: 42, note: 'café' };
    const response = await client.post('/signed/payments?id=7', body);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      verified: true,
      length: Buffer.byteLength(JSON.stringify(body)),
    });
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
    const [first, second] = server().requests;
    expect(second?.body.toString('utf8')).toBe(JSON.stringify(body));
    expect(first?.body.equals(second!.body)).toBe(true);
  });

  test('requiresRequestBody: a signature over a body the server did not get is refused', async () => {
    // Control for the test above: the route really checks the bytes.
    class WrongBody extends SigningAuth {
      override signRequest(request: AuthRequest): string {
        return signature(request.method, request.url.href, new TextEncoder().encode('other'));
      }
    }
    const client = withAuth(axios.create({ baseURL: server().url, auth: new WrongBody() }));
    const error = await rejectionOf(client.post('/signed', { a: 1 }));
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401);
  });

  class RefreshingAuth extends Auth {
    override readonly requiresResponseBody = true;
    refreshes = 0;
    constructor(
      public accessToken: string,
      public refreshToken: string,
      private readonly refreshUrl: string,
    ) {
      super();
    }
    override *authFlow(request: AuthRequest): AuthFlow {
      request.headers.set('X-Authentication', this.accessToken);
      const response = yield request;
      if (response.status === 401) {
        // If the server issues a 401 response, then issue a request to
        // refresh tokens, and resend the request.
        const refreshResponse = yield this.buildRefreshRequest();
        this.updateTokens(refreshResponse);
        request.headers.set('X-Authentication', this.accessToken);
        yield request;
      }
    }
    buildRefreshRequest(): FlowRequest {
      // An AuthRequest made by hand, as httpx's example returns an `httpx.Request`; it goes
      // through the client's baseURL, interceptors and transformRequest like any new request.
      return new AuthRequest({
        method: 'POST',
        url: this.refreshUrl,
        data: { refresh_token: this.refreshToken },
      });
    }
    updateTokens(response: AxiosResponse): void {
      const data = response.data as { access_token: string; refresh_token: string };
      this.accessToken = data.access_token;
      this.refreshToken = data.refresh_token;
      this.refreshes += 1;
    }
  }

  test('requiresResponseBody: a 401 triggers a token refresh, and the call succeeds', async () => {
    const auth = new RefreshingAuth('expired', 'refresh-0', '/token');
    const client = withAuth(axios.create({ baseURL: server().url, auth }));
    const response = await client.get('/protected');

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ authenticated: true });
    expect(auth.accessToken).toBe('access-1');
    expect(auth.refreshToken).toBe('refresh-1');
    expect(paths(server().requests)).toEqual(['/protected', '/token', '/protected']);
    expect(server().requests.map((request) => request.headers['x-authentication'])).toEqual([
      'expired',
      undefined,
      'access-1',
    ]);
    // The history: the 401, then the refresh response, each with the ones before it.
    expect(response.history.map((earlier) => earlier.status)).toEqual([401, 200]);
    const [unauthorized, refreshed] = response.history;
    expect(unauthorized?.data).toEqual({ authenticated: false });
    expect(refreshed?.data).toEqual({ access_token: 'access-1', refresh_token: 'refresh-1' });
    expect(unauthorized?.history).toEqual([]);
    expect(refreshed?.history).toHaveLength(1);
    expect(refreshed?.history[0]).toBe(unauthorized);
  });

  test('requiresResponseBody: a valid token costs one request and no refresh', async () => {
    const auth = new RefreshingAuth('access-0', 'refresh-0', '/token');
    const client = withAuth(axios.create({ baseURL: server().url, auth }));
    const response = await client.get('/protected');
    expect(response.status).toBe(200);
    expect(auth.refreshes).toBe(0);
    expect(paths(server().requests)).toEqual(['/protected']);
  });

  /**
   * The README's port of the seed's refresh example, made safe under concurrency: one shared
   * refresh, sent only while the refused token is still current. Keep it as the README has it.
   */
  class SharedRefreshAuth extends Auth {
    override readonly requiresResponseBody = true;
    /** The refresh under way, shared by every call that needs it. */
    #refreshing: Promise<void> | undefined;
    #settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;

    constructor(
      public accessToken: string,
      public refreshToken: string,
      private refreshUrl: string,
    ) {
      super();
    }

    override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
      const sent = this.accessToken;
      request.headers.set('X-Authentication', sent);
      const response = yield request;
      if (response.status !== 401) return;
      if (this.accessToken === sent) {
        // Still the refused token: wait for the refresh under way, or send it.
        if (this.#refreshing) await this.#refreshing;
        else yield* this.refresh();
      }
      request.headers.set('X-Authentication', this.accessToken);
      yield request;
    }

    /** One refresh for every call: the first call sends it, the others await #refreshing. */
    async *refresh(): AsyncGenerator<FlowRequest, void, AxiosResponse> {
      this.#refreshing = new Promise<void>(
        (resolve, reject) => (this.#settle = { resolve, reject }),
      );
      this.#refreshing.catch(() => undefined); // nobody may be waiting
      const settle = this.#settle!;
      let done = false;
      try {
        const refreshResponse = yield this.buildRefreshRequest();
        done = true;
        if (refreshResponse.status !== 200) {
          throw new Error(`refresh failed: ${refreshResponse.status}`);
        }
        this.updateTokens(refreshResponse);
        settle.resolve();
      } catch (error) {
        settle.reject(error); // every waiting call gets the same error; the old tokens stay
        throw error;
      } finally {
        if (!done) settle.reject(new Error('the refresh request got no answer'));
        this.#refreshing = undefined;
      }
    }

    buildRefreshRequest() {
      return { method: 'post', url: this.refreshUrl, data: { refresh_token: this.refreshToken } };
    }

    updateTokens(response: AxiosResponse) {
      const data = response.data as { access_token: string; refresh_token?: string };
      this.accessToken = data.access_token;
      this.refreshToken = data.refresh_token ?? this.refreshToken;
    }
  }

  test("the README's shared refresh: 20 concurrent calls on an expired token, one refresh", async () => {
    const auth = new SharedRefreshAuth('expired', 'refresh-0', '/token');
    const client = withAuth(axios.create({ baseURL: server().url, auth }));
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.get('/protected')));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(server().tokens.refreshes).toBe(1);
    expect(paths(server().requests).filter((path) => path === '/token')).toEqual(['/token']);
    expect(auth.accessToken).toBe('access-1');
    expect(auth.refreshToken).toBe('refresh-1');
  });

  class LockedRefreshAuth extends Auth {
    override readonly requiresResponseBody = true;
    readonly #lock = new Lock();
    accessToken = 'expired';
    refreshToken = 'refresh-0';

    // I/O and concurrency control belong in asyncAuthFlow, as in httpx's async_auth_flow.
    override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
      const used = this.accessToken;
      request.headers.set('X-Authentication', used);
      const response = yield request;
      if (response.status !== 401) return;
      const release = await this.#lock.acquire();
      try {
        // Another call may have refreshed while this one waited for the lock.
        if (this.accessToken === used) {
          const refreshed = yield {
            method: 'post',
            url: '/token',
            data: { refresh_token: this.refreshToken },
          };
          const data = refreshed.data as { access_token: string; refresh_token: string };
          this.accessToken = data.access_token;
          this.refreshToken = data.refresh_token;
        }
      } finally {
        release();
      }
      request.headers.set('X-Authentication', this.accessToken);
      yield request;
    }
  }

  test('asyncAuthFlow with a lock: 50 concurrent calls refresh the token once', async () => {
    const auth = new LockedRefreshAuth();
    const client = withAuth(axios.create({ baseURL: server().url, auth }));
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.get('/protected')));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(server().tokens.refreshes).toBe(1);
    expect(paths(server().requests).filter((path) => path === '/token')).toHaveLength(1);
    // Exactly one call carries the refresh in its history; the others waited and reused it.
    const withRefresh = responses.filter((response) => response.history.length === 2);
    expect(withRefresh).toHaveLength(1);
    expect(auth.accessToken).toBe('access-1');
  });

  test('asyncAuthFlow with a lock: once refreshed, later calls pay no 401', async () => {
    const auth = new LockedRefreshAuth();
    const client = withAuth(axios.create({ baseURL: server().url, auth }));
    await client.get('/protected');
    server().requests.length = 0;
    const response = await client.get('/protected');
    expect(response.history).toEqual([]);
    expect(paths(server().requests)).toEqual(['/protected']);
  });
});
