/**
 * What a call leaves behind for the caller and for the flow: the config on responses and errors
 * keeps the caller's choices (an `auth: null` opt-out survives a retry with `error.config`),
 * every response of a withAuth instance has a history, the adapter's own header writes do not
 * leak into the flow's request, and an intermediate body that a transform cannot parse does not
 * end a flow that never read it.
 */
import net, { type AddressInfo } from 'node:net';
import axios, { type AxiosError } from 'axios';
import axiosRetry from 'axios-retry';
import { Auth, AuthRequest, BasicAuth, withAuth, type AuthFlow } from '../../src/index';
import { json, type Route } from '../support/httpbin';
import { rejectionOf, useHttpbin } from '../support/helpers';

/** 401 with an HTML page, as Apache and most servers answer, until the retry header is set. */
const htmlChallenge: Route = (request, response) => {
  if (!request.path.startsWith('/html-401')) return false;
  if (request.headers['x-retry'] === 'yes') return json(response, 200, { ok: true });
  response.writeHead(401, { 'Content-Type': 'text/html' });
  response.end('<html><body>401 Authorization Required</body></html>');
  return true;
};

const server = useHttpbin([htmlChallenge]);

test('auth: null stays on error.config, so a retry with it sends no client credentials', async () => {
  const client = withAuth(axios.create({ auth: new BasicAuth('client', 'secret') }));
  const error = (await rejectionOf(
    client.get(`${server().url}/status/503`, { auth: null }),
  )) as AxiosError;
  expect(error.config?.auth).toBeNull();

  await rejectionOf(client.request(error.config!));

  expect(server().requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
});

test('a rejected call without auth still has an empty history on its response', async () => {
  const client = withAuth(axios.create());
  const error = (await rejectionOf(client.get(`${server().url}/status/404`))) as AxiosError;
  expect(error.response?.status).toBe(404);
  expect(error.response?.history).toEqual([]);
});

test("the adapter's Content-Length does not leak into the flow's headers or a new request", async () => {
  const seenByFlow: unknown[] = [];
  class TokenThenResend extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield request;
      seenByFlow.push(request.headers.get('Content-Length'));
      // A new request built from the call's config, with a shorter body of its own.
      yield { ...request.config, url: `${server().url}/anything/token`, data: 'x=1' };
    }
  }
  const client = withAuth(axios.create({ timeout: 5000 }));

  const response = await client.post(`${server().url}/anything/upload`, 'a'.repeat(50), {
    auth: new TokenThenResend(),
    headers: { 'Content-Type': 'text/plain' },
  });

  expect(response.status).toBe(200);
  expect(seenByFlow).toEqual([undefined]);
  const [upload, token] = server().requests;
  expect(upload?.headers['content-length']).toBe('50');
  expect(token?.headers['content-length']).toBe('3');
  expect(token?.body.toString()).toBe('x=1');
});

test('an intermediate HTML 401 that a strict JSON transform cannot parse does not end the flow', async () => {
  class RetryWithHeader extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        request.headers.set('X-Retry', 'yes');
        yield request;
      }
    }
  }
  const client = withAuth(
    axios.create({
      responseType: 'json',
      transitional: {
        silentJSONParsing: false,
        forcedJSONParsing: true,
        clarifyTimeoutError: false,
      },
    }),
  );

  const response = await client.get(`${server().url}/html-401`, { auth: new RetryWithHeader() });

  expect(response.status).toBe(200);
  expect(response.data).toEqual({ ok: true });
  expect(response.history).toHaveLength(1);
  expect(response.history[0]?.status).toBe(401);
  expect(String(response.history[0]?.data)).toContain('401 Authorization Required');
  expect(server().requests).toHaveLength(2);
});

describe('a flow whose last request is one it built', () => {
  /** Asks the server, then fetches the answer from a URL of its own (a login, then a resource). */
  class ThenElsewhere extends Auth {
    constructor(readonly target: string) {
      super();
    }

    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) yield { url: this.target, headers: { 'X-Step': 'two' } };
    }
  }

  test('error.config is the call, so client.request(error.config) runs the flow again', async () => {
    const client = withAuth(axios.create({ baseURL: server().url }));
    const auth = new ThenElsewhere('/status/500');
    const validateStatus = (status: number): boolean => status < 400;

    const error = (await rejectionOf(
      client.get('/status/401', { auth, timeout: 4000, validateStatus }),
    )) as AxiosError;

    expect(error.response?.status).toBe(500);
    expect(error.config?.url).toBe('/status/401');
    expect(error.config?.auth).toBe(auth);
    expect(error.config?.timeout).toBe(4000);
    expect(error.config?.validateStatus).toBe(validateStatus);
    // The built request's own response shows its own settings, not the driver's.
    expect(error.response?.config.url).toBe('/status/500');
    expect(error.response?.config.validateStatus).toBe(client.defaults.validateStatus);
    expect(error.response?.config.timeout).toBe(0);

    const again = (await rejectionOf(client.request(error.config!))) as AxiosError;
    expect(again.response?.status).toBe(500);
    expect(server().requests.map((r) => r.path)).toEqual([
      '/status/401',
      '/status/500',
      '/status/401',
      '/status/500',
    ]);
  });

  test("a history entry from a built request shows the flow's settings, not the driver's", async () => {
    class BuiltFirst extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield { url: `${server().url}/status/204`, validateStatus: null };
        yield { url: `${server().url}/status/204`, timeout: 3000 };
        yield request;
      }
    }
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/anything`, {
      auth: new BuiltFirst(),
      timeout: 10_000,
    });
    const [first, second] = response.history;
    // The first gave no timeout: the instance's (0), not what was left of the call's 10 s.
    expect(first?.config.timeout).toBe(0);
    expect(first?.config.timeoutErrorMessage).toBeUndefined();
    expect(first?.config.validateStatus).toBeNull();
    expect(second?.config.timeout).toBe(3000);
    expect(second?.config.validateStatus).toBe(client.defaults.validateStatus);
    expect(response.config.timeout).toBe(10_000);
  });

  test('a transport error on a built request carries the call, and axios-retry runs it again', async () => {
    const closed = await closedPort();
    class TokenOutOfReach extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield { method: 'post', url: `http://127.0.0.1:${closed}/token` };
        yield request;
      }
    }
    const auth = new TokenOutOfReach();
    const client = withAuth(axios.create({ baseURL: server().url }));
    axiosRetry(client, { retries: 1, retryDelay: () => 0 });

    const error = (await rejectionOf(client.get('/anything/resource', { auth }))) as AxiosError;

    expect(error.code).toBe('ECONNREFUSED');
    expect(error.config?.url).toBe('/anything/resource');
    expect(error.config?.auth).toBe(auth);
    expect(error.config?.['axios-retry']).toMatchObject({ retryCount: 1 });
  });
});

/** A port on 127.0.0.1 with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test("a request a flow builds with a signal of its own still ends with the call's timeout", async () => {
  const seen: (number | undefined)[] = [];
  class OwnSignal extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield { url: `${server().url}/anything/step`, signal: new AbortController().signal };
      yield request;
    }
  }
  const client = withAuth(axios.create());
  client.interceptors.request.use((config) => {
    if (config.url?.endsWith('/step')) seen.push(config.timeout);
    return config;
  });
  await client.get(`${server().url}/anything`, { auth: new OwnSignal(), timeout: 5000 });
  // What was left of the call's 5 s, not the instance's none: only OAuth2's token request
  // outlives the call that sent it.
  expect(seen).toHaveLength(1);
  expect(seen[0]).toBeGreaterThan(0);
  expect(seen[0]).toBeLessThanOrEqual(5000);
});
