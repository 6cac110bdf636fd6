/**
 * How a flow's exchanges run through the axios instance: request interceptors and the adapter
 * (axios-mock-adapter) apply to what a flow yields, response interceptors run once per call on
 * the final response, withAuth installs once, and axios's own `auth` handling never fires.
 */
import axios from 'axios';
import type {
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, AuthRequest, BasicAuth, withAuth, type AuthFlow } from '../../src/index';
import { basicHeader, rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** 401 without a token, then a refresh request, then the resend: a 3-step flow. */
class RefreshOn401 extends Auth {
  override readonly requiresResponseBody = true;
  override *authFlow(request: AuthRequest): AuthFlow {
    const response = yield request;
    if (response.status !== 401) return;
    const refreshed = yield { method: 'post', url: '/token', data: { grant: 'refresh' } };
    request.headers.set('X-Authentication', (refreshed.data as { token: string }).token);
    yield request;
  }
}

/** What the mock adapter received, captured when it received it (configs are reused). */
interface Received {
  method: string | undefined;
  url: string | undefined;
  baseURL: string | undefined;
  headers: Record<string, unknown>;
  data: unknown;
  hasAuth: boolean;
}

function mockProtected(instance: AxiosInstance): { mock: MockAdapter; received: Received[] } {
  const mock = new MockAdapter(instance);
  const received: Received[] = [];
  const record = (config: AxiosRequestConfig): void => {
    received.push({
      method: config.method,
      url: config.url,
      baseURL: config.baseURL,
      headers: { ...(config.headers as { toJSON(): Record<string, unknown> }).toJSON() },
      data: config.data,
      hasAuth: config.auth != null, // null: the driver's explicit "none" (see Installation.dispatch)
    });
  };
  mock.onGet('/resource').reply((config) => {
    record(config);
    const ok = config.headers?.['X-Authentication'] === 'fresh';
    return ok ? [200, { resource: 'data' }] : [401, { error: 'token needed' }];
  });
  mock.onPost('/token').reply((config) => {
    record(config);
    return [200, { token: 'fresh' }];
  });
  return { mock, received };
}

describe('requests a flow yields go through the instance', () => {
  test("a yielded config runs the instance's request interceptors, baseURL and mock adapter", async () => {
    const client = axios.create({ baseURL: 'https://api.test' });
    let traced = 0;
    client.interceptors.request.use((config) => {
      config.headers.set('X-Trace', `trace-${++traced}`);
      return config;
    });
    const authed = withAuth(client);
    const { received } = mockProtected(client);

    const response = await authed.get('/resource', { auth: new RefreshOn401() });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ resource: 'data' });
    expect(received.map((r) => [r.method, r.baseURL, r.url])).toEqual([
      ['get', 'https://api.test', '/resource'],
      ['post', 'https://api.test', '/token'],
      ['get', 'https://api.test', '/resource'],
    ]);
    // The refresh request went through the interceptor; the resent request was intercepted once,
    // as one call, and carries the header it got then.
    expect(received.map((r) => r.headers['X-Trace'])).toEqual(['trace-1', 'trace-2', 'trace-1']);
    expect(traced).toBe(2);
    // The yielded config was serialised by the instance's transformRequest, as any request.
    expect(received[1]?.data).toBe('{"grant":"refresh"}');
  });

  test('the same flow against the real http adapter: every exchange reaches the server', async () => {
    const client = withAuth(axios.create({ baseURL: server().url }));
    class Protected extends Auth {
      override readonly requiresResponseBody = true;
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status !== 401) return;
        const refreshed = yield {
          method: 'post',
          url: '/token',
          data: { refresh_token: 'refresh-0' },
        };
        request.headers.set(
          'X-Authentication',
          (refreshed.data as { access_token: string }).access_token,
        );
        yield request;
      }
    }
    const response = await client.get('/protected', { auth: new Protected() });
    expect(response.status).toBe(200);
    expect(server().requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /protected',
      'POST /token',
      'GET /protected',
    ]);
  });
});

test('a new AuthRequest made by hand runs the instance pipeline, as a yielded config does', async () => {
  const client = axios.create({ baseURL: 'https://api.test' });
  client.interceptors.request.use((config) => {
    config.headers.set('X-Intercepted', 'yes');
    return config;
  });
  const authed = withAuth(client);
  const { received } = mockProtected(client);
  class HandMade extends Auth {
    override readonly requiresResponseBody = true;
    override *authFlow(request: AuthRequest): AuthFlow {
      const refresh = new AuthRequest({
        method: 'POST',
        url: '/token',
        data: { grant: 'refresh' },
      });
      refresh.headers.set('X-Refresh', '1');
      const refreshed = yield refresh;
      request.headers.set('X-Authentication', (refreshed.data as { token: string }).token);
      yield request;
    }
  }
  const response = await authed.get('/resource', { auth: new HandMade() });
  expect(response.data).toEqual({ resource: 'data' });
  expect(received.map((r) => [r.method, r.baseURL, r.url, r.data])).toEqual([
    ['post', 'https://api.test', '/token', '{"grant":"refresh"}'],
    ['get', 'https://api.test', '/resource', undefined],
  ]);
  expect(received[0]?.headers).toEqual(
    expect.objectContaining({ 'X-Intercepted': 'yes', 'X-Refresh': '1' }),
  );
});

test("with axios's fetch adapter: a 3-step flow, a body resent, URL credentials", async () => {
  class SignedResend extends Auth {
    override readonly requiresRequestBody = true;
    override readonly requiresResponseBody = true;
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status !== 401) return;
      const refreshed = yield {
        method: 'post',
        url: '/token',
        data: { refresh_token: 'refresh-0' },
      };
      request.headers.set(
        'X-Authentication',
        (refreshed.data as { access_token: string }).access_token,
      );
      request.content = new TextEncoder().encode(`resent ${request.content.length}`);
      yield request;
    }
  }
  const client = withAuth(axios.create({ baseURL: server().url, adapter: 'fetch' }));
  const response = await client.post('/protected', 'first body', { auth: new SignedResend() });
  expect(response.status).toBe(200);
  expect(response.history.map((earlier) => earlier.status)).toEqual([401, 200]);
  expect(server().requests.map((r) => [r.path, r.body.toString()])).toEqual([
    ['/protected', 'first body'],
    ['/token', '{"refresh_token":"refresh-0"}'],
    ['/protected', 'resent 10'],
  ]);

  server().requests.length = 0;
  const withUrlCredentials = server().url.replace('http://', 'http://finley:secret@');
  const basic = await withAuth(axios.create({ adapter: 'fetch' })).get(
    `${withUrlCredentials}/basic-auth/finley/secret`,
  );
  expect(basic.status).toBe(200);
  expect(server().requests[0]?.headers.authorization).toBe(basicHeader('finley', 'secret'));
});

test('an error status on a request the flow yielded is a response the flow sees', async () => {
  const client = withAuth(axios.create({ baseURL: server().url }));
  const seen: number[] = [];
  class RefreshRefused extends Auth {
    override readonly requiresResponseBody = true;
    override *authFlow(request: AuthRequest): AuthFlow {
      const refreshed = yield { method: 'post', url: '/token', data: { refresh_token: 'stale' } };
      seen.push(refreshed.status);
      expect(refreshed.data).toEqual({ error: 'invalid_grant' });
      request.headers.set('X-Authentication', 'access-0');
      yield request;
    }
  }
  const response = await client.get('/protected', { auth: new RefreshRefused() });
  expect(seen).toEqual([400]);
  expect(response.status).toBe(200);
  expect(response.history.map((earlier) => earlier.status)).toEqual([400]);
});

describe('the auth of a request a flow yields as a config', () => {
  /** Refreshes through `/token`, yielding the given extra config (its own auth, or none). */
  function refreshWith(extra: AxiosRequestConfig): Auth {
    return new (class extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield { method: 'post', url: '/token', ...extra };
        yield request;
      }
    })();
  }

  function authorizationsSent(client: AxiosInstance): unknown[] {
    const mock = new MockAdapter(client);
    const seen: unknown[] = [];
    mock.onAny().reply((config) => {
      seen.push(`${config.url} ${String(config.headers?.Authorization)}`);
      return [200, {}];
    });
    return seen;
  }

  test("the client's default auth is not applied to it (httpx sends it as yielded)", async () => {
    const client = withAuth(axios.create({ auth: ['client', 'default'] }));
    const seen = authorizationsSent(client);
    await client.get('/resource', { auth: refreshWith({}) });
    expect(seen).toEqual(['/token undefined', '/resource undefined']);
  });

  test('its own auth (OAuth client credentials as Basic) is applied to it', async () => {
    const client = withAuth(axios.create({ auth: ['client', 'default'] }));
    const seen = authorizationsSent(client);
    await client.get('/resource', {
      auth: refreshWith({ auth: { username: 'client-id', password: 'client-secret' } }),
    });
    expect(seen).toEqual([
      `/token ${basicHeader('client-id', 'client-secret')}`,
      '/resource undefined',
    ]);
  });

  test('its own auth may be any form, even a flow; an invalid one fails the call', async () => {
    const client = withAuth(axios.create());
    const seen = authorizationsSent(client);
    await client.get('/resource', {
      auth: refreshWith({
        auth: ((request: AuthRequest) => {
          request.headers.set('Authorization', 'Token for-the-refresh');
          return request;
        }) as never,
      }),
    });
    expect(seen).toEqual(['/token Token for-the-refresh', '/resource undefined']);
    const error = await rejectionOf(
      client.get('/resource', { auth: refreshWith({ auth: 42 as never }) }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(2);
  });
});

test('a config copied from request.config goes as yielded, not through this flow again', async () => {
  const client = withAuth(axios.create());
  const mock = new MockAdapter(client);
  const seen: unknown[] = [];
  mock.onAny().reply((config) => {
    seen.push(`${config.url} ${String(config.headers?.Authorization)}`);
    return [200, {}];
  });
  let flows = 0;
  class CopiesConfig extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      flows += 1;
      request.headers.set('Authorization', 'Token t');
      yield request;
      yield { ...request.config, url: '/copy' };
    }
  }
  await client.get('/first', { auth: new CopiesConfig() });
  expect(flows).toBe(1);
  expect(seen).toEqual(['/first Token t', '/copy Token t']);
});

describe('a flow that ends on a request it yielded as a config', () => {
  class EndsElsewhere extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield request;
      yield { url: '/elsewhere', params: { from: 'flow' } };
    }
  }

  function mockBoth(client: AxiosInstance): void {
    const mock = new MockAdapter(client);
    mock.onGet('/start').reply(200, { step: 'start' });
    mock.onGet('/elsewhere').reply((config) => [201, { step: 'elsewhere', params: config.params }]);
  }

  test('that response is the final one, parsed once, with the first in history', async () => {
    const client = withAuth(axios.create());
    mockBoth(client);
    const response = await client.get('/start', { auth: new EndsElsewhere() });
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ step: 'elsewhere', params: { from: 'flow' } });
    expect(response.config.url).toBe('/elsewhere');
    expect(response.history.map((earlier) => earlier.data)).toEqual([{ step: 'start' }]);
  });

  test('response interceptors run once on it', async () => {
    const client = withAuth(axios.create());
    mockBoth(client);
    let runs = 0;
    client.interceptors.response.use((response) => {
      runs += 1;
      return response.data;
    });
    const data: unknown = await client.get('/start', { auth: new EndsElsewhere() });
    expect(data).toEqual({ step: 'elsewhere', params: { from: 'flow' } });
    expect(runs).toBe(1);
  });

  test("it is judged by the caller's validateStatus", async () => {
    const client = withAuth(axios.create());
    mockBoth(client);
    const error = await rejectionOf(
      client.get('/start', {
        auth: new EndsElsewhere(),
        validateStatus: (status) => status === 200,
      }),
    );
    expect(axios.isAxiosError(error) && error.response?.status).toBe(201);
    expect(axios.isAxiosError(error) && error.response?.data).toEqual({
      step: 'elsewhere',
      params: { from: 'flow' },
    });
  });
});

describe('response interceptors run once per call, on the final response', () => {
  test('r => r.data returns the data of a 3-step flow (not undefined: axios-retry#246)', async () => {
    const client = withAuth(axios.create({ baseURL: 'https://api.test' }));
    mockProtected(client);
    client.interceptors.response.use((response) => response.data);
    const data: unknown = await client.get('/resource', { auth: new RefreshOn401() });
    expect(data).toEqual({ resource: 'data' });
  });

  test('a counting interceptor runs once, and sees the final status', async () => {
    const client = withAuth(axios.create({ baseURL: 'https://api.test' }));
    mockProtected(client);
    const seen: number[] = [];
    client.interceptors.response.use((response) => {
      seen.push(response.status);
      return response;
    });
    await client.get('/resource', { auth: new RefreshOn401() });
    expect(seen).toEqual([200]);
  });

  test('on a rejected call the error interceptor runs once and the success one never', async () => {
    const client = withAuth(axios.create({ baseURL: 'https://api.test' }));
    const mock = new MockAdapter(client);
    mock.onGet('/resource').reply(401, {});
    mock.onPost('/token').reply(200, { token: 'still-wrong' });
    const fulfilled = jest.fn((response: AxiosResponse) => response);
    const rejected = jest.fn((error: unknown) => Promise.reject(error));
    client.interceptors.response.use(fulfilled, rejected);
    const error = await rejectionOf(client.get('/resource', { auth: new RefreshOn401() }));
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401);
    expect(fulfilled).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledTimes(1);
  });

  test('the caller’s validateStatus is applied to the final response only', async () => {
    const client = withAuth(axios.create({ baseURL: 'https://api.test' }));
    const { received } = mockProtected(client);
    const statuses: number[] = [];
    const response = await client.get('/resource', {
      auth: new RefreshOn401(),
      validateStatus: (status) => {
        statuses.push(status);
        return status === 200;
      },
    });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(3);
    expect(statuses).toEqual([200]);
  });
});

describe('withAuth on existing instances', () => {
  test('withAuth twice returns the same instance and installs one interceptor', async () => {
    const client = axios.create();
    const handlers = (client.interceptors.request as unknown as { handlers: unknown[] }).handlers;
    expect(withAuth(client)).toBe(client);
    const installed = handlers.filter(Boolean).length;
    expect(withAuth(client, { maxFlowRequests: 2 })).toBe(client);
    expect(handlers.filter(Boolean).length).toBe(installed);
    expect(installed).toBe(1);

    let flows = 0;
    class Counting extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        flows += 1;
        yield request;
      }
    }
    const mock = new MockAdapter(client);
    mock.onGet('/x').reply(200, 'ok');
    await withAuth(client).get('/x', { auth: new Counting() });
    expect(flows).toBe(1);
    expect(mock.history.get).toHaveLength(1);
  });

  test.each([
    ['before', true],
    ['after', false],
  ])(
    'an instance with interceptors and baseURL, mock adapter installed %s withAuth',
    async (_when, mockFirst) => {
      const client = axios.create({ baseURL: 'https://api.test/v1', headers: { 'X-App': 'app' } });
      const order: string[] = [];
      client.interceptors.request.use((config) => {
        order.push('existing request interceptor');
        config.headers.set('X-Existing', 'yes');
        return config;
      });
      client.interceptors.response.use((response) => {
        order.push('existing response interceptor');
        return response;
      });
      let mock: MockAdapter | undefined;
      if (mockFirst) mock = new MockAdapter(client);
      const authed = withAuth(client, { maxFlowRequests: 5 });
      mock ??= new MockAdapter(client);
      const received: Record<string, unknown>[] = [];
      mock.onGet('/items').reply((config) => {
        received.push({ ...(config.headers as { toJSON(): Record<string, unknown> }).toJSON() });
        return [200, ['item']];
      });

      const response = await authed.get('/items', { auth: ['user', 'pass'] });

      expect(response.data).toEqual(['item']);
      expect(received).toEqual([
        expect.objectContaining({
          'X-App': 'app',
          'X-Existing': 'yes',
          Authorization: basicHeader('user', 'pass'),
        }),
      ]);
      expect(order).toEqual(['existing request interceptor', 'existing response interceptor']);
    },
  );

  describe('the adapter a call names is the one it gets, also when it changes between calls', () => {
    const answer = (name: string) => (config: InternalAxiosRequestConfig) =>
      Promise.resolve({
        data: name,
        status: 200,
        statusText: 'OK',
        headers: {},
        config,
      } as AxiosResponse);

    test('the default list, a per-request adapter, a mock installed and restored after calls', async () => {
      const client = withAuth(axios.create({ baseURL: server().url, auth: ['ada', 'pw'] }));
      const seen = async (config?: AxiosRequestConfig) =>
        (await client.get<unknown>('/anything', config)).data;
      expect(await seen()).toMatchObject({ headers: { authorization: basicHeader('ada', 'pw') } });
      expect(await seen({ adapter: answer('own') })).toBe('own');
      expect(await seen({ adapter: answer('other') })).toBe('other');
      const mock = new MockAdapter(client);
      mock.onGet('/anything').reply(200, 'mocked');
      expect(await seen()).toBe('mocked');
      expect(await seen()).toBe('mocked');
      mock.restore();
      expect(await seen()).toMatchObject({ method: 'GET' });
      client.defaults.adapter = answer('default');
      expect(await seen()).toBe('default');
    });

    test("the fetch adapter is built from each call's env: a list that reaches it is asked again per call", async () => {
      const fetchOf =
        (name: string): typeof fetch =>
        () =>
          Promise.resolve(
            new Response(JSON.stringify(name), { headers: { 'content-type': 'application/json' } }),
          );
      const client = withAuth(axios.create({ adapter: ['fetch'] }));
      const overHttp = await client.get(`${server().url}/anything`, { adapter: ['http'] });
      expect(overHttp.data).toMatchObject({ method: 'GET' });
      const first = await client.get('https://api.test/x', { env: { fetch: fetchOf('one') } });
      const second = await client.get('https://api.test/x', { env: { fetch: fetchOf('two') } });
      expect([first.data, second.data]).toEqual(['one', 'two']);
    });
  });

  test('an async request interceptor added after withAuth still applies', async () => {
    const client = withAuth(axios.create({ baseURL: 'https://api.test' }));
    client.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
      await new Promise((resolve) => setImmediate(resolve));
      config.headers.set('X-Late', 'yes');
      return config;
    });
    const mock = new MockAdapter(client);
    const headers: unknown[] = [];
    mock.onGet('/x').reply((config) => {
      headers.push([config.headers?.['X-Late'], config.headers?.Authorization]);
      return [200];
    });
    await client.get('/x', { auth: ['a', 'b'] });
    expect(headers).toEqual([['yes', basicHeader('a', 'b')]]);
  });

  test("a child made with the instance's create() inherits its auth and the driver", async () => {
    const parent = withAuth(axios.create({ auth: new BasicAuth('parent', 'secret') }), {
      maxFlowRequests: 3,
    });
    const child = parent.create({ baseURL: 'https://api.test' });
    const mock = new MockAdapter(child);
    const seen: unknown[] = [];
    mock.onGet('/x').reply((config) => {
      seen.push(config.headers?.Authorization);
      return [200, 'ok'];
    });

    const response = await child.get('/x');

    expect(seen).toEqual([basicHeader('parent', 'secret')]);
    expect(response.history).toEqual([]);
    expect(withAuth(child)).toBe(child);
  });

  test('an instance without withAuth is untouched: axios keeps its own auth', async () => {
    const client = axios.create();
    const mock = new MockAdapter(client);
    mock.onGet('/x').reply((config) => [200, { auth: config.auth }]);
    const response = await client.get('/x', { auth: { username: 'u', password: 'p' } });
    expect(response.data).toEqual({ auth: { username: 'u', password: 'p' } });
    expect(response.history).toBeUndefined();
  });
});

describe("axios's own auth handling never fires", () => {
  test('the mock adapter never receives `auth`, whatever the form', async () => {
    const client = withAuth(axios.create({ auth: ['client', 'default'] }));
    const mock = new MockAdapter(client);
    const seen: { hasAuth: boolean; authorization: unknown }[] = [];
    mock.onGet('/x').reply((config) => {
      seen.push({
        hasAuth: config.auth != null,
        authorization: config.headers?.Authorization,
      });
      return [200];
    });
    await client.get('/x');
    await client.get('/x', { auth: { username: 'axios', password: 'form' } });
    await client.get('/x', { auth: null });
    await client.get('/x', { auth: new Auth() });
    expect(seen).toEqual([
      { hasAuth: false, authorization: basicHeader('client', 'default') },
      { hasAuth: false, authorization: basicHeader('axios', 'form') },
      { hasAuth: false, authorization: undefined },
      { hasAuth: false, authorization: undefined },
    ]);
  });

  test('a flow that sets no Authorization sends none: no stray `Basic Og==`', async () => {
    const client = withAuth(axios.create({ auth: new Auth() }));
    await client.get(`${server().url}/anything`);
    expect(server().requests[0]?.headers.authorization).toBeUndefined();
  });

  test('with the http adapter the server sees only our header', async () => {
    class TokenAuth extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('Authorization', 'Token ours');
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new TokenAuth() }));
    await client.get(`${server().url}/anything`);
    expect(server().requests.map((r) => r.headers.authorization)).toEqual(['Token ours']);
  });

  test("axios's { username, password } is sent as our UTF-8 Basic, not axios's", async () => {
    // axios alone would send the user name as Latin-1 bytes; RFC 7617 with UTF-8 is ours.
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/basic-auth/j%C3%BCrgen/p%C3%A4ss`, {
      auth: { username: 'jürgen', password: 'päss' },
    });
    expect(response.status).toBe(200);
    expect(server().requests[0]?.headers.authorization).toBe(basicHeader('jürgen', 'päss'));
  });

  test("the config on the response keeps the caller's auth, so axios(error.config) re-authenticates", async () => {
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/basic-auth/finley/secret`, { auth: ['finley', 'wrong'] }),
    );
    expect(axios.isAxiosError(error)).toBe(true);
    const config = (error as { config: AxiosRequestConfig }).config;
    expect(config.auth).toEqual(['finley', 'wrong']);
    // What the caller set, not what the driver used per exchange.
    expect(config.validateStatus).toBe(axios.defaults.validateStatus);
    expect(config.timeout).toBe(0);
    config.auth = ['finley', 'secret'] as never;
    const retried = await client.request(config);
    expect(retried.status).toBe(200);
  });
});
