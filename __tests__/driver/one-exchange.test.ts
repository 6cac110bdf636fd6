/**
 * Calls whose auth needs no answer from the server (Basic, Bearer, a function) are sent as one
 * exchange without the flow machinery (`src/driver/one-exchange.ts`). Everything a call
 * promises must still hold on that path: the credentials are sent once, the caller's
 * validateStatus and timeout decide, history is [] on responses and on errors' responses, the
 * config users see keeps what they set, and what the auth returns or throws is honoured.
 */
import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios';
import {
  AuthRequest,
  BasicAuth,
  BearerAuth,
  withAuth,
  type AuthFlow,
  type AuthOption,
} from '../../src/index';
import type { Route } from '../support/httpbin';
import { basicHeader, rejectionOf, useHttpbin } from '../support/helpers';

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
