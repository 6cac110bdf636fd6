/**
 * Calls whose auth needs no answer from the server (Basic, Bearer, a function), and warm Digest
 * calls, are sent as one exchange without the flow machinery (`src/driver/one-exchange.ts`). Everything a call
 * promises must still hold on that path: the credentials are sent once, the caller's
 * validateStatus and timeout decide, history is [] on responses and on errors' responses, the
 * config users see keeps what they set, and what the auth returns or throws is honoured.
 */
import axios, { type AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { Readable } from 'node:stream';
import {
  AuthRequest,
  BasicAuth,
  BearerAuth,
  DigestAuth,
  OAuth2Auth,
  withAuth,
  type AuthFlow,
  type AuthOption,
} from '../../src/index';
import type { Route } from '../support/httpbin';
import { basicHeader, rejectionOf, useHttpbin } from '../support/helpers';
import { authorizationParams } from '../support/digest-helpers';
import { digestServerState } from '../support/digest-server';

const CHALLENGE = 'Digest realm="r", nonce="n1", qop="auth", algorithm=MD5';

/** Never answers (the server closes its connections when the suite ends). */
const hang: Route = (request) => request.path === '/hang';

const server = useHttpbin([hang]);

const setHeader =
  (name: string, value: string) =>
  (request: AuthRequest): AuthRequest => {
    request.headers.set(name, value);
    return request;
  };

/** Every one-exchange auth form, and the header it must put on the request. */
const forms: [string, () => AuthOption, string, string][] = [
  ['BasicAuth', () => new BasicAuth('ada', 'pw'), 'authorization', basicHeader('ada', 'pw')],
  ['a [user, password] pair', () => ['ada', 'pw'], 'authorization', basicHeader('ada', 'pw')],
  ['BearerAuth with a token', () => new BearerAuth('tok'), 'authorization', 'Bearer tok'],
  ['BearerAuth with a function', () => new BearerAuth(() => 'fn'), 'authorization', 'Bearer fn'],
  [
    'BearerAuth with an async function',
    () => new BearerAuth(() => Promise.resolve('later')),
    'authorization',
    'Bearer later',
  ],
  ['a function', () => setHeader('X-Api-Key', 'k1'), 'x-api-key', 'k1'],
  [
    'an async function',
    () => (request: AuthRequest) => Promise.resolve(setHeader('X-Api-Key', 'k2')(request)),
    'x-api-key',
    'k2',
  ],
];

describe.each(forms)('%s', (_name, makeAuth, header, value) => {
  test('sends the credentials on one request; the response has history []', async () => {
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/anything/ok`, { auth: makeAuth() });

    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests).toHaveLength(1);
    expect(server().requests[0]!.headers[header]).toBe(value);
  });

  test("a status the caller's validateStatus refuses rejects with axios's error, history []", async () => {
    const client = withAuth(axios.create());
    const auth = makeAuth();
    const error = (await rejectionOf(
      client.get(`${server().url}/status/403`, { auth }),
    )) as AxiosError;

    expect(error.message).toBe('Request failed with status code 403');
    expect(error.code).toBe('ERR_BAD_REQUEST');
    expect(error.response?.history).toEqual([]);
    // What the caller set is what error.config holds: a retry with it authenticates again.
    expect(error.config?.auth).toEqual(auth);
    expect(error.config && 'beforeRedirect' in error.config).toBe(false);
    expect(server().requests).toHaveLength(1);
  });
});

test("the caller's validateStatus decides, as on bare axios", async () => {
  const client = withAuth(axios.create({ auth: new BasicAuth('ada', 'pw') }));

  const accepted = await client.get(`${server().url}/status/500`, { validateStatus: () => true });
  expect(accepted.status).toBe(500);
  expect(accepted.history).toEqual([]);
  expect(accepted.config.validateStatus?.(500)).toBe(true);
});

test("the caller's timeout gives axios's timeout error, and stays on error.config", async () => {
  const client = withAuth(axios.create({ auth: new BasicAuth('ada', 'pw') }));
  const error = (await rejectionOf(
    client.get(`${server().url}/hang`, { timeout: 50, timeoutErrorMessage: 'too slow' }),
  )) as AxiosError;

  expect(error.code).toBe('ECONNABORTED');
  expect(error.message).toBe('too slow');
  expect(error.config?.timeout).toBe(50);
  expect(error.config?.auth).toBeInstanceOf(BasicAuth);
  expect(server().requests[0]!.headers.authorization).toBe(basicHeader('ada', 'pw'));
});

test("the caller's beforeRedirect runs, and is on the config afterwards", async () => {
  const hops: string[] = [];
  const beforeRedirect = (options: Record<string, unknown>): void => {
    hops.push(String(options.href));
  };
  const client = withAuth(axios.create({ auth: new BasicAuth('ada', 'pw') }));
  const target = `${server().url}/anything/landed`;

  const response = await client.get(
    `${server().url}/redirect-to?url=${encodeURIComponent(target)}`,
    { beforeRedirect } as Partial<InternalAxiosRequestConfig>,
  );

  expect(response.status).toBe(200);
  expect(hops).toEqual([target]);
  expect(response.config.beforeRedirect).toBe(beforeRedirect);
  // Same origin: the credentials went along.
  expect(server().requests.map((r) => r.headers.authorization)).toEqual([
    basicHeader('ada', 'pw'),
    basicHeader('ada', 'pw'),
  ]);
});

test('a subclass of BasicAuth with its own flow runs that flow', async () => {
  class BasicThenTagged extends BasicAuth {
    override *authFlow(request: AuthRequest): AuthFlow {
      const authenticated = super.authFlow(request).next().value as AuthRequest;
      const response = yield authenticated;
      if (response.status === 404) {
        request.headers.set('X-Second', 'yes');
        yield request;
      }
    }
  }
  const client = withAuth(axios.create({ validateStatus: () => true }));

  const response = await client.get(`${server().url}/status/404`, {
    auth: new BasicThenTagged('ada', 'pw'),
  });

  expect(response.history.map((entry) => entry.status)).toEqual([404]);
  expect(server().requests.map((r) => r.headers['x-second'])).toEqual([undefined, 'yes']);
});

test('a function that returns another request (a clone) has that one sent', async () => {
  const client = withAuth(axios.create());
  const response = await client.get(`${server().url}/anything/ok`, {
    auth: (request: AuthRequest) => {
      const copy = request.clone();
      copy.headers.set('X-Copy', 'yes');
      return copy;
    },
  });

  expect(response.status).toBe(200);
  expect(response.history).toEqual([]);
  expect(server().requests.map((r) => r.headers['x-copy'])).toEqual(['yes']);
});

test('a function that changes the URL and body has them sent', async () => {
  const client = withAuth(axios.create());
  const response = await client.post(`${server().url}/anything/first`, 'old body', {
    headers: { 'Content-Type': 'text/plain' },
    auth: (request: AuthRequest) => {
      request.url = `${server().url}/anything/second`;
      request.content = new TextEncoder().encode('new, longer body');
      return request;
    },
  });

  expect(response.status).toBe(200);
  const [sent] = server().requests;
  expect(sent!.path).toBe('/anything/second');
  expect(Buffer.from(sent!.body).toString()).toBe('new, longer body');
  expect(sent!.headers['content-length']).toBe('16');
});

test('what a function throws rejects the call, and nothing is sent', async () => {
  const client = withAuth(axios.create());
  const thrown = new Error('no key today');

  const sync = await rejectionOf(
    client.get(`${server().url}/anything/x`, {
      auth: () => {
        throw thrown;
      },
    }),
  );
  const async = await rejectionOf(
    client.get(`${server().url}/anything/x`, { auth: () => Promise.reject(thrown) }),
  );
  const returnsNothing = await rejectionOf(
    client.get(`${server().url}/anything/x`, {
      auth: (() => undefined) as unknown as (request: AuthRequest) => AuthRequest,
    }),
  );

  expect(sync).toBe(thrown);
  expect(async).toBe(thrown);
  expect(String(returnsNothing)).toMatch(/the auth function returned nothing/);
  expect(server().requests).toHaveLength(0);
});

test('a Bearer token function that gives a bad token rejects before sending', async () => {
  const client = withAuth(axios.create());
  const error = await rejectionOf(
    client.get(`${server().url}/anything/x`, { auth: new BearerAuth(() => 'two words') }),
  );
  expect(String(error)).toMatch(/BearerAuth: the token contains whitespace/);
  expect(server().requests).toHaveLength(0);
});

test('an aborted signal stops the call before anything is sent', async () => {
  const client = withAuth(axios.create({ auth: new BasicAuth('ada', 'pw') }));
  const controller = new AbortController();
  controller.abort();

  const error = (await rejectionOf(
    client.get(`${server().url}/anything/x`, { signal: controller.signal }),
  )) as AxiosError;

  expect(axios.isCancel(error)).toBe(true);
  expect(server().requests).toHaveLength(0);
});

/**
 * A warm DigestAuth (its origin's challenge known) is sent the same way, and the answer is shown
 * to the scheme: the usual answer ends the call there; a 401 (a stale nonce) hands the call to
 * the flow, with that first exchange as its history.
 */
describe('a warm DigestAuth', () => {
  const digestUrl = (path: string): string => `${server().url}/digest-auth/auth/ada/pw${path}`;

  test('is one exchange per call: history [], the caller’s config as they set it', async () => {
    const validateStatus = (status: number): boolean => status < 300;
    const client = withAuth(axios.create({ auth: new DigestAuth('ada', 'pw'), validateStatus }));
    const { reusedCounts } = digestServerState(server()); // kept for the whole file
    const reusedBefore = reusedCounts.length;
    await client.get(digestUrl(''));
    const response = await client.get(digestUrl(''));

    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([
      undefined,
      'Digest',
      'Digest',
    ]);
    expect(response.config.validateStatus).toBe(validateStatus);
    expect(response.config.auth).toBeInstanceOf(DigestAuth);
    expect('beforeRedirect' in response.config).toBe(false);
    expect(reusedCounts.slice(reusedBefore)).toEqual([]);
  });

  test.each([
    ['refuses the 401 (the default)', undefined],
    ['accepts every status', () => true],
  ])(
    'a stale nonce on a warm call, with a validateStatus that %s: the 401 is history, the retry is answered',
    async (_name, validateStatus) => {
      // staleAfter=1: a nonce serves one request, then the server answers stale=true.
      const auth = new DigestAuth('ada', 'pw');
      const client = withAuth(axios.create(validateStatus ? { auth, validateStatus } : { auth }));
      await client.get(`${server().url}/digest-auth/auth/ada/pw/MD5/1`);
      const response = await client.get(`${server().url}/digest-auth/auth/ada/pw/MD5/1`);

      expect(response.status).toBe(200);
      expect(response.history.map((entry) => entry.status)).toEqual([401]);
      expect(response.history[0]!.history).toEqual([]);
      expect(server().requests).toHaveLength(4);
      const [, first, stale, retry] = server().requests.map((r) =>
        authorizationParams(r.headers.authorization ?? 'Digest '),
      );
      expect(stale!.nonce).toBe(first!.nonce);
      expect(retry!.nonce).not.toBe(stale!.nonce);
      expect(response.config.validateStatus).toBe(validateStatus ?? axios.defaults.validateStatus);
    },
  );

  test('takes the nextnonce of an answer: the next call uses it at once', async () => {
    const client = withAuth(axios.create({ auth: new DigestAuth('ada', 'pw') }));
    const url = digestUrl('?nextnonce=1');
    const { refusals } = digestServerState(server()); // kept for the whole file
    const refusedBefore = refusals.length;
    await client.get(url);
    await client.get(url);
    await client.get(url);

    // A nonce serves once here: one 401, then every request answers the nonce the previous
    // answer handed out (no stale 401, no retry).
    expect(server().requests).toHaveLength(4);
    const nonces = server()
      .requests.slice(1)
      .map((r) => authorizationParams(r.headers.authorization).nonce);
    expect(new Set(nonces).size).toBe(3);
    expect(refusals.slice(refusedBefore)).toEqual([]);
  });

  test('a 401 with no Digest challenge on a warm call is the answer, history []', async () => {
    let calls = 0;
    const adapter = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
      calls += 1;
      const warm = String(config.headers.get('Authorization') ?? '').startsWith('Digest ');
      const headers = warm
        ? { 'www-authenticate': 'Basic realm="x"' }
        : { 'www-authenticate': CHALLENGE };
      return Promise.resolve({
        status: 401,
        statusText: '',
        headers,
        data: '',
        config,
        request: {},
      } as unknown as AxiosResponse);
    };
    const client = withAuth(
      axios.create({ adapter, auth: new DigestAuth('ada', 'pw'), validateStatus: () => true }),
    );
    await client.get('http://example.test/a'); // cold: the challenge is learnt, then refused again
    calls = 0;
    const response = await client.get('http://example.test/a');

    expect(calls).toBe(1);
    expect(response.status).toBe(401);
    expect(response.history).toEqual([]);
  });

  test("the call's timeout runs from its start, over the retry a stale nonce costs", async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    const timeouts: (number | undefined)[] = [];
    let stale = false;
    const adapter = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
      timeouts.push(config.timeout);
      const authorized = String(config.headers.get('Authorization') ?? '').startsWith('Digest ');
      // The second call's first request meets a stale nonce, answered 80 ms later.
      const refuse = !authorized || (stale && timeouts.length === 3);
      if (stale && timeouts.length === 3) now += 80;
      const headers = refuse
        ? { 'www-authenticate': stale ? `${CHALLENGE}, stale=true` : CHALLENGE }
        : {};
      const status = refuse ? 401 : 200;
      const response = { status, statusText: '', headers, data: '', config, request: {} };
      return Promise.resolve(response as unknown as AxiosResponse);
    };
    try {
      const client = withAuth(axios.create({ adapter, auth: new DigestAuth('ada', 'pw') }));
      await client.get('http://example.test/a', { timeout: 500 });
      stale = true;
      const response = await client.get('http://example.test/a', { timeout: 500 });

      expect(response.history.map((entry) => entry.status)).toEqual([401]);
      // Cold call: 401 then retry; warm call: the caller's 500 ms, then what is left of it.
      expect(timeouts).toEqual([500, 500, 500, 420]);
      expect(response.config.timeout).toBe(500);
    } finally {
      clock.mockRestore();
    }
  });

  test('a URL object moved to another origin between calls: no answer to the old challenge goes there', async () => {
    const client = withAuth(axios.create({ auth: new DigestAuth('ada', 'pw') }));
    const url = new URL(digestUrl(''));
    await client.get(url as unknown as string);
    url.hostname = 'localhost'; // the same server, another origin
    const response = await client.get(url as unknown as string);

    expect(response.status).toBe(200);
    expect(server().requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([
      undefined,
      'Digest',
      undefined, // cold again on the new origin
      'Digest',
    ]);
  });

  test('a driver that knows only authorizeOnce (an older copy in the process) runs the whole flow', () => {
    // The registered symbols are shared by every copy of the package: a scheme that must see
    // the answer does not offer the "send once, done" one, so such a driver never stops after
    // the first response of a warm Digest or OAuth2 call.
    const once = Symbol.for('axios-auth-flow.authorizeOnce');
    const checked = Symbol.for('axios-auth-flow.authorizeChecked');
    const oauth2 = new OAuth2Auth({ tokenUrl: 'https://id.example/token', clientId: 'app' });
    for (const auth of [new DigestAuth('ada', 'pw'), oauth2]) {
      const offered = auth as unknown as Record<symbol, unknown>;
      expect(offered[once]).toBeUndefined();
      expect(typeof offered[checked]).toBe('function');
    }
    expect(typeof (new BasicAuth('ada', 'pw') as unknown as Record<symbol, unknown>)[once]).toBe(
      'function',
    );
  });

  test('a stream body goes through the whole flow, read once, and is sent again if asked', async () => {
    const client = withAuth(axios.create({ auth: new DigestAuth('ada', 'pw') }));
    await client.get(digestUrl(''));
    const response = await client.post(digestUrl(''), Readable.from([Buffer.from('streamed')]));

    expect(response.status).toBe(200);
    expect(Buffer.from(server().requests[2]!.body).toString()).toBe('streamed');
  });
});
