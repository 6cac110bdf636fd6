/**
 * OAuth2Auth's flow with axios-mock-adapter: which grant, when it refreshes (proactive margin,
 * 401, invalid_token, not on insufficient_scope), the race of a 401 with another call's refresh,
 * the store, the token request through the instance's pipeline, exact replay, and printing.
 */
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import axios, { CanceledError, type AxiosError, type InternalAxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { withAuth, type AsyncAuthFlow, type AuthRequest } from '../../../src/index';
import { OAuth2Error } from '../../../src/errors';
import {
  OAuth2Auth,
  type OAuth2AuthOptions,
  type OAuth2Token,
} from '../../../src/schemes/oauth2/index';
import { gate } from '../../support/oauth2/scripted-server';

const TOKEN_URL = 'https://id.example/token';
const clock = 1_700_000_000_000;
const now = (): number => clock;

interface Setup {
  auth: OAuth2Auth;
  client: ReturnType<typeof withAuth>;
  mock: MockAdapter;
  tokenRequests: InternalAxiosRequestConfig[];
  /** What the next token requests answer; by default a fresh token each time. */
  answers: ((n: number) => [number, unknown?, Record<string, string>?])[];
}

function setup(options: Partial<OAuth2AuthOptions> = {}): Setup {
  const auth = new OAuth2Auth({
    tokenUrl: TOKEN_URL,
    clientId: 'app',
    clientSecret: 'client-secret',
    now,
    ...options,
  });
  const client = withAuth(axios.create({ baseURL: 'https://api.example', auth }));
  const mock = new MockAdapter(client);
  const tokenRequests: InternalAxiosRequestConfig[] = [];
  const answers: Setup['answers'] = [];
  mock.onPost(TOKEN_URL).reply((config) => {
    tokenRequests.push(snapshot(config));
    const n = tokenRequests.length;
    const next = answers.shift();
    if (next) return next(n);
    return [
      200,
      JSON.stringify({ access_token: `at-${n}`, token_type: 'Bearer', expires_in: 3600 }),
    ];
  });
  return { auth, client, mock, tokenRequests, answers };
}

/**
 * The token request as sent: OAuth2Auth redacts the secrets of the config once the answer is
 * read (it stays in `history`), so the test keeps a copy.
 */
function snapshot(config: unknown): InternalAxiosRequestConfig {
  const sent = config as InternalAxiosRequestConfig;
  return { ...sent, headers: { ...(sent.headers as object) } } as InternalAxiosRequestConfig;
}

const bearerOf = (config: { headers?: unknown }): unknown =>
  (config.headers as Record<string, unknown> | undefined)?.['Authorization'];

/** A resource that accepts exactly these access tokens. */
function acceptOnly(mock: MockAdapter, ...tokens: string[]): void {
  mock
    .onAny(/api\.example/)
    .reply((config) =>
      tokens.map((t) => `Bearer ${t}`).includes(String(bearerOf(config)))
        ? [200, { ok: true }]
        : [401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }],
    );
}

const form = (config: InternalAxiosRequestConfig): URLSearchParams =>
  new URLSearchParams(String(config.data));

describe('grants', () => {
  test('client credentials when there is no refresh token, with the scope', async () => {
    const { client, mock, tokenRequests } = setup({ scope: ['read', 'write'] });
    acceptOnly(mock, 'at-1');
    await client.get('/r');
    expect(form(tokenRequests[0]!).toString()).toBe(
      'grant_type=client_credentials&scope=read+write',
    );
    expect(bearerOf(tokenRequests[0]!)).toBe(`Basic ${btoa('app:client-secret')}`);
  });

  test('refresh_token when there is one; a rotated refresh token replaces it', async () => {
    const { auth, client, mock, tokenRequests, answers } = setup({
      token: { accessToken: 'old', refreshToken: 'rt-0', expiresAt: clock - 1 },
    });
    answers.push(() => [
      200,
      { access_token: 'at-1', token_type: 'bearer', expires_in: '60', refresh_token: 'rt-1' },
    ]);
    acceptOnly(mock, 'at-1');
    await client.get('/r');
    expect(form(tokenRequests[0]!).get('refresh_token')).toBe('rt-0');
    expect(auth.token).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      expiresAt: clock + 60_000,
      scope: undefined,
    });
  });
});

describe('when a token is renewed', () => {
  test.each([
    ['expires within the margin (20 s left of 30)', 20_000, {}, 1],
    ['expires after the margin (40 s left)', 40_000, {}, 0],
    ['expires within a margin set to 10 s', 20_000, { refreshMargin: 10_000 }, 0],
  ])('before sending, a token that %s', async (_, left, options, expected) => {
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'at-0', expiresAt: clock + left },
      ...options,
    });
    acceptOnly(mock, 'at-0', 'at-1');
    const response = await client.get('/r');
    expect(tokenRequests).toHaveLength(expected);
    expect(bearerOf(response.config)).toBe(expected ? 'Bearer at-1' : 'Bearer at-0');
  });

  test.each([
    ['401 invalid_token', 401, 'Bearer realm="api", error="invalid_token"', true],
    ['401 with no challenge at all', 401, undefined, true],
    ['401 with a bare Bearer challenge', 401, 'Bearer realm="api"', true],
    ['403 invalid_token', 403, 'Bearer error="invalid_token"', true],
    ['403 insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="admin"', false],
    ['401 invalid_request', 401, 'Bearer error="invalid_request"', false],
    ['a plain 403', 403, undefined, false],
  ])('after %s: refreshed and retried = %s', async (_, status, challenge, refreshes) => {
    const { client, mock, tokenRequests } = setup({ token: { accessToken: 'at-0' } });
    mock.onGet('/r').replyOnce(status, {}, challenge ? { 'www-authenticate': challenge } : {});
    mock.onGet('/r').reply(200);
    const response = await client.get('/r', { validateStatus: null });
    expect(tokenRequests).toHaveLength(refreshes ? 1 : 0);
    expect(response.status).toBe(refreshes ? 200 : status);
    expect(response.history.map((r) => r.status)).toEqual(refreshes ? [status, 200] : []);
  });

  test("a 401 that raced with another call's refresh retries with the new token, no second refresh", async () => {
    const { client, mock, tokenRequests } = setup({ token: { accessToken: 'at-0' } });
    const hold = gate();
    let first = true;
    mock.onGet('/r').reply(async (config) => {
      if (bearerOf(config) === 'Bearer at-1') return [200, 'fresh'];
      // The second call's 401 is held until the first call's refresh is done.
      if (!first) await hold.promise;
      first = false;
      return [401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }];
    });
    const a = client.get('/r');
    const b = client.get('/r');
    const ra = await a;
    hold.open();
    const rb = await b;
    expect([ra.data, rb.data]).toEqual(['fresh', 'fresh']);
    expect(tokenRequests).toHaveLength(1);
    expect(rb.history.map((r) => r.status)).toEqual([401]);
  });

  test('a refresh that brings back the same access token: a racing call retries with it, no second refresh', async () => {
    // Which token was refused is the token object sent, not its string.
    const { client, mock, tokenRequests, answers } = setup({ token: { accessToken: 'at-0' } });
    answers.push(() => [200, JSON.stringify({ access_token: 'at-0', token_type: 'Bearer' })]);
    const hold = gate();
    let calls = 0;
    mock.onGet('/r').reply(async () => {
      calls += 1;
      // The second call's 401 is held until the first call's refresh is done.
      if (calls === 2) await hold.promise;
      return [401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }];
    });
    const a = client.get('/r', { validateStatus: null });
    const b = client.get('/r', { validateStatus: null });
    const ra = await a;
    hold.open();
    const rb = await b;
    expect(tokenRequests).toHaveLength(1);
    expect(ra.history.map((r) => r.status)).toEqual([401, 200]);
    expect(rb.history.map((r) => r.status)).toEqual([401]);
    expect([ra.status, rb.status]).toEqual([401, 401]);
  });

  test('at most one refresh per call: a fresh token refused again is the answer', async () => {
    const { client, mock, tokenRequests } = setup();
    mock.onGet('/r').reply(401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
    const response = await client.get('/r', { validateStatus: null });
    expect(response.status).toBe(401);
    expect(tokenRequests).toHaveLength(1);
    expect(response.history.map((r) => r.status)).toEqual([200]);
  });
});

describe('a warm call (a fresh token at hand)', () => {
  test('sends the token with no token request, and history []', async () => {
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'at-0', expiresAt: clock + 3600_000 },
    });
    acceptOnly(mock, 'at-0');
    const responses = [await client.get('/r'), await client.get('/r')];
    expect(responses.map((r) => bearerOf(r.config))).toEqual(['Bearer at-0', 'Bearer at-0']);
    expect(responses.map((r) => r.history)).toEqual([[], []]);
    expect(tokenRequests).toHaveLength(0);
  });

  test('a token the server refuses: one refresh, the same request again; history [401, token exchange]', async () => {
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: clock + 3600_000 },
    });
    const sent: unknown[][] = [];
    mock.onPost('/r').reply((config) => {
      sent.push([bearerOf(config), config.data]);
      return bearerOf(config) === 'Bearer at-1'
        ? [200, { ok: true }]
        : [401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }];
    });
    const response = await client.post('/r', { n: 1 });
    expect(response.status).toBe(200);
    expect(bearerOf(response.config)).toBe('Bearer at-1');
    expect(response.history.map((r) => r.status)).toEqual([401, 200]);
    expect(tokenRequests).toHaveLength(1);
    expect(form(tokenRequests[0]!).get('grant_type')).toBe('refresh_token');
    expect(sent).toEqual([
      ['Bearer at-0', '{"n":1}'],
      ['Bearer at-1', '{"n":1}'],
    ]);
  });

  test('a refused call whose body was a stream: an error that says how to send it twice', async () => {
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'at-0', expiresAt: clock + 3600_000 },
    });
    acceptOnly(mock, 'at-1');
    const error = await client.post('/r', Readable.from([Buffer.from('once')])).catch((e) => e);
    expect(String(error)).toMatch(/its body was a stream that the first send consumed/);
    expect(tokenRequests).toHaveLength(1);
  });

  test('a token still being read from the store is waited for, not replaced by the option', async () => {
    let gets = 0;
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'from-options', expiresAt: clock + 3600_000 },
      store: {
        get: async () => {
          gets += 1;
          return { accessToken: 'stored', expiresAt: clock + 3600_000 };
        },
        set: () => undefined,
      },
    });
    acceptOnly(mock, 'stored');
    const response = await client.get('/r');
    expect(bearerOf(response.config)).toBe('Bearer stored');
    expect(response.history).toEqual([]); // no request went out before the stored token came
    expect(gets).toBe(1);
    expect(tokenRequests).toHaveLength(0);
  });

  test("a subclass's own asyncAuthFlow runs on warm calls too", async () => {
    class Tagged extends OAuth2Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        request.headers.set('X-Tagged', 'yes');
        yield* super.asyncAuthFlow(request);
      }
    }
    const auth = new Tagged({
      tokenUrl: TOKEN_URL,
      clientId: 'app',
      token: { accessToken: 'at-0', expiresAt: clock + 3600_000 },
      now,
    });
    const client = withAuth(axios.create({ baseURL: 'https://api.example', auth }));
    const mock = new MockAdapter(client);
    acceptOnly(mock, 'at-0');
    const response = await client.get('/r');
    expect(response.config.headers['X-Tagged']).toBe('yes');
    expect(bearerOf(response.config)).toBe('Bearer at-0');
  });
});

describe('the token request', () => {
  test("goes through the instance pipeline (baseURL, interceptors) without the client's auth", async () => {
    const auth = new OAuth2Auth({
      tokenUrl: '/oauth/token',
      clientId: 'app',
      clientSecret: 's',
      now,
    });
    const client = withAuth(axios.create({ baseURL: 'https://api.example', auth }));
    const seen: string[] = [];
    client.interceptors.request.use((config) => {
      seen.push(`${config.method} ${config.url}`);
      config.headers.set('X-Trace', 'on');
      return config;
    });
    const mock = new MockAdapter(client);
    let tokenConfig: InternalAxiosRequestConfig | undefined;
    mock.onPost('https://api.example/oauth/token').reply((config) => {
      tokenConfig = snapshot(config);
      return [200, { access_token: 'at', token_type: 'Bearer' }];
    });
    mock.onGet('https://api.example/r').reply(200);
    await client.get('/r');
    expect(seen).toEqual(['get /r', 'post /oauth/token']);
    expect(tokenConfig!.headers['X-Trace']).toBe('on');
    expect(String(bearerOf(tokenConfig!))).toMatch(/^Basic /);
  });

  test('an answer that is not a token is never stored; the call rejects with OAuth2Error', async () => {
    const { auth, client, mock, answers } = setup();
    answers.push(() => [200, '<html>login</html>', { 'content-type': 'text/html' }]);
    mock.onGet('/r').reply(200);
    const error = await client.get('/r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(auth.token).toBeUndefined();
    await client.get('/r');
    expect(auth.token?.accessToken).toBe('at-2');
  });
});

describe('exact replay', () => {
  test('the retried request has the same body bytes and headers, transformRequest run once', async () => {
    const { client, mock } = setup({ token: { accessToken: 'at-0' } });
    let transforms = 0;
    const sent: { data: unknown; type: unknown; trace: unknown }[] = [];
    mock.onPost('/r').reply((config) => {
      sent.push({
        data: config.data,
        type: config.headers?.['Content-Type'],
        trace: config.headers?.['X-Trace'],
      });
      return bearerOf(config) === 'Bearer at-1' ? [200] : [401];
    });
    await client.post(
      '/r',
      { a: 1 },
      {
        headers: { 'X-Trace': 't1' },
        transformRequest: [
          (data: unknown, headers) => {
            transforms += 1;
            headers.set('Content-Type', 'application/json');
            return JSON.stringify(data);
          },
        ],
      },
    );
    expect(transforms).toBe(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]!.data).toBe('{"a":1}');
  });
});

describe('store', () => {
  test('get() once for concurrent first calls; a saved token past its expiry is renewed first', async () => {
    let gets = 0;
    const saved: OAuth2Token[] = [];
    const { client, mock, tokenRequests } = setup({
      token: { accessToken: 'from-options' },
      store: {
        get: async () => {
          gets += 1;
          return { accessToken: 'stored', refreshToken: 'rt-stored', expiresAt: clock - 1 };
        },
        set: (token) => void saved.push(token),
      },
    });
    acceptOnly(mock, 'at-1');
    await Promise.all([client.get('/r'), client.get('/r'), client.get('/r')]);
    expect(gets).toBe(1);
    expect(tokenRequests).toHaveLength(1);
    expect(form(tokenRequests[0]!).get('refresh_token')).toBe('rt-stored');
    expect(saved.map((t) => t.accessToken)).toEqual(['at-1']);
  });

  test("the token request's own bound: the instance's timeout, else 30 s or the call's if longer", async () => {
    const { client, mock, tokenRequests } = setup();
    acceptOnly(mock, 'at-1');
    await client.get('/r', { timeout: 45_000 });
    expect(tokenRequests[0]?.timeout).toBe(45_000);
    const other = setup();
    acceptOnly(other.mock, 'at-1');
    await other.client.get('/r', { timeout: 50 });
    expect(other.tokenRequests[0]?.timeout).toBe(30_000);
  });

  test('a get() that throws synchronously fails that call only; the next call reads again', async () => {
    let gets = 0;
    const { client, mock } = setup({
      store: {
        get: () => {
          gets += 1;
          if (gets === 1) throw new Error('store offline');
          return undefined;
        },
        set: () => undefined,
      },
    });
    acceptOnly(mock, 'at-1');
    await expect(client.get('/r')).rejects.toThrow('store offline');
    expect((await client.get('/r')).status).toBe(200);
    expect(gets).toBe(2);
  });

  test('a failing set(): the waiting calls get its error, the new token stays current', async () => {
    const { auth, client, mock, tokenRequests } = setup({
      store: { get: () => undefined, set: () => Promise.reject(new Error('disk full')) },
    });
    acceptOnly(mock, 'at-1');
    const outcomes = await Promise.allSettled([client.get('/r'), client.get('/r')]);
    expect(outcomes.map((o) => o.status === 'rejected' && String(o.reason))).toEqual([
      'Error: disk full',
      'Error: disk full',
    ]);
    expect(auth.token?.accessToken).toBe('at-1');
    expect((await client.get('/r')).status).toBe(200);
    expect(tokenRequests).toHaveLength(1);
  });
});

describe('cancellation', () => {
  test('a waiting call that is aborted stops waiting; the shared refresh goes on', async () => {
    const { client, mock, tokenRequests, answers } = setup();
    const release = gate();
    const arrived = gate();
    answers.push(() => {
      arrived.open();
      return [200, { access_token: 'at-1', token_type: 'Bearer' }];
    });
    mock.onPost(TOKEN_URL).reply(async (config) => {
      tokenRequests.push(snapshot(config));
      const next = answers.shift()!;
      const answer = next(tokenRequests.length);
      await release.promise;
      return answer;
    });
    acceptOnly(mock, 'at-1');
    const sender = client.get('/r');
    await arrived.promise;
    const controller = new AbortController();
    const waiter = client.get('/r', { signal: controller.signal });
    const other = client.get('/r');
    controller.abort();
    await expect(waiter).rejects.toBeInstanceOf(CanceledError);
    release.open();
    expect((await sender).status).toBe(200);
    expect((await other).status).toBe(200);
    expect(tokenRequests).toHaveLength(1);
  });

  test('the call that sent the token request, aborted, rejects at once and does not cancel it: the others get the token', async () => {
    const { client, mock, tokenRequests } = setup();
    const release = gate();
    const arrived = gate();
    mock.onPost(TOKEN_URL).reply(async (config) => {
      tokenRequests.push(snapshot(config));
      arrived.open();
      await release.promise;
      return [200, { access_token: 'at-1', token_type: 'Bearer' }];
    });
    acceptOnly(mock, 'at-1');
    const controller = new AbortController();
    const sender = client.get('/r', { signal: controller.signal });
    await arrived.promise;
    const waiters = [client.get('/r'), client.get('/r')];
    controller.abort();
    // Rejected while the token endpoint still holds its answer: the abort is not left waiting.
    const error = (await sender.catch((e: unknown) => e)) as AxiosError;
    expect(error).toBeInstanceOf(CanceledError);
    release.open();
    expect((await Promise.all(waiters)).map((r) => r.status)).toEqual([200, 200]);
    expect(tokenRequests).toHaveLength(1);
    // The flow finished in the background without writing the new token into that error.
    expect(error.config?.headers.Authorization).toBeUndefined();
  });
});

describe('printing', () => {
  test('no secret or token in inspect or JSON of the auth, nor in the history of a call', async () => {
    const { auth, client, mock } = setup({
      token: { accessToken: 'at-secret-0', refreshToken: 'rt-secret-0', expiresAt: clock - 1 },
    });
    mock.onGet('/r').reply(200);
    const response = await client.get('/r');
    for (const text of [
      inspect(auth),
      JSON.stringify(auth),
      inspect(response.history, { depth: 6 }),
    ]) {
      expect(text).not.toMatch(/client-secret|rt-secret-0|at-1/);
    }
    expect(inspect(auth)).toBe(
      'OAuth2Auth { tokenUrl: "https://id.example/token", clientId: "app", clientSecret: \'[redacted]\', token: \'[redacted]\' }',
    );
  });

  test('bad options: a TypeError that names the option, never its value', () => {
    const bad = { tokenUrl: TOKEN_URL, clientId: 'app', clientSecret: 'sekrit' };
    expect(() => new OAuth2Auth({ ...bad, clientAuthentication: 'jwt' as never })).toThrow(
      "OAuth2Auth: clientAuthentication must be 'basic' or 'post'",
    );
    expect(() => new OAuth2Auth({ ...bad, token: { accessToken: 'sekrit\n' } })).toThrow(
      'OAuth2Auth: the token in the options has an accessToken that cannot go in a header',
    );
    expect(() => new OAuth2Auth({ ...bad, refreshMargin: -1 })).toThrow(/refreshMargin/);
  });
});
