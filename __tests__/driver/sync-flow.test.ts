/**
 * A custom flow written as a synchronous `authFlow` (the driver steps it without an async
 * generator around it). What a call promises must hold for it: the flow sees every status, the
 * caller's validateStatus decides the answer, history is [] or the earlier responses, the config
 * users see keeps what they set (also when the flow throws before sending anything), and the
 * flow is closed however the call ends.
 */
import axios, { type AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { Auth, AuthRequest, withAuth, type AuthFlow } from '../../src/index';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** Tags the request, and sends it again with a second tag if the first answer was `retryOn`. */
class TagThenRetry extends Auth {
  closed = 0;
  seen: number[] = [];

  constructor(private readonly retryOn?: number) {
    super();
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    try {
      request.headers.set('X-Tag', 'first');
      const response = yield request;
      this.seen.push(response.status);
      if (response.status !== this.retryOn) return;
      request.headers.set('X-Tag', 'second');
      yield request;
    } finally {
      this.closed += 1;
    }
  }
}

test('a flow that ends at its first answer: one request, history [], the flow closed', async () => {
  const auth = new TagThenRetry();
  const client = withAuth(axios.create({ auth }));

  const response = await client.get(`${server().url}/anything/one`);

  expect(response.status).toBe(200);
  expect(response.history).toEqual([]);
  expect(server().requests.map((r) => r.headers['x-tag'])).toEqual(['first']);
  expect(auth.seen).toEqual([200]);
  expect(auth.closed).toBe(1);
  // The config users see holds what they set, not the driver's per-exchange settings.
  expect(response.config.auth).toBe(auth);
  expect(response.config.validateStatus?.(200)).toBe(true);
  expect(response.config.validateStatus?.(403)).toBe(false);
});

test("the flow sees the status the caller's validateStatus refuses; the call rejects with axios's error", async () => {
  const auth = new TagThenRetry();
  const client = withAuth(axios.create({ auth }));

  const error = (await rejectionOf(client.get(`${server().url}/status/403`))) as AxiosError;

  expect(auth.seen).toEqual([403]);
  expect(error.message).toBe('Request failed with status code 403');
  expect(error.code).toBe('ERR_BAD_REQUEST');
  expect((error.response as AxiosResponse | undefined)?.history).toEqual([]);
  expect(error.config?.auth).toBe(auth);
  expect(error.config?.validateStatus).toEqual(expect.any(Function));
  expect(server().requests).toHaveLength(1);
});

test('a flow that asks for a second request: the first answer is history', async () => {
  const auth = new TagThenRetry(404);
  const client = withAuth(axios.create({ auth, validateStatus: () => true }));

  const response = await client.get(`${server().url}/status/404`);

  expect(response.history.map((entry) => entry.status)).toEqual([404]);
  expect(server().requests.map((r) => r.headers['x-tag'])).toEqual(['first', 'second']);
  expect(auth.seen).toEqual([404]);
  expect(auth.closed).toBe(1);
});

test('a flow that throws before yielding: nothing is sent, the call rejects with its error', async () => {
  const thrown = new Error('cannot sign this request');
  class Refuses extends Auth {
    // eslint-disable-next-line require-yield -- it throws before its first yield, by design
    override *authFlow(): AuthFlow {
      throw thrown;
    }
  }
  const auth = new Refuses();
  const client = withAuth(axios.create({ auth }));
  let config: InternalAxiosRequestConfig | undefined;
  client.interceptors.request.use((given) => (config = given));

  await expect(client.get(`${server().url}/anything/x`)).rejects.toBe(thrown);
  expect(server().requests).toHaveLength(0);
  // The config the caller's interceptor saw has the auth it was given back.
  expect(config?.auth).toBe(auth);
});

test('a flow that throws on its first answer: the call rejects with its error after one request', async () => {
  const thrown = new Error('unexpected answer');
  class ThrowsOnAnswer extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield request;
      throw thrown;
    }
  }
  const client = withAuth(axios.create({ auth: new ThrowsOnAnswer() }));

  await expect(client.get(`${server().url}/anything/x`)).rejects.toBe(thrown);
  expect(server().requests).toHaveLength(1);
});

test("a transport error ends the call with axios's error, and the flow is closed", async () => {
  const auth = new TagThenRetry(401);
  const client = withAuth(axios.create({ auth }));

  // Port 1 on the loopback: nothing listens there, the connection is refused.
  const error = (await rejectionOf(client.get('http://127.0.0.1:1/'))) as AxiosError;

  expect(error.code).toBe('ECONNREFUSED');
  expect(auth.seen).toEqual([]);
  expect(auth.closed).toBe(1);
  expect(error.config?.auth).toBe(auth);
});

test('a POST body is sent on the first exchange and again on the retry', async () => {
  const auth = new TagThenRetry(200);
  const client = withAuth(axios.create({ auth }));

  const response = await client.post(`${server().url}/anything/p`, { n: 1 });

  expect(response.history).toHaveLength(1);
  expect(server().requests.map((r) => Buffer.from(r.body).toString())).toEqual([
    '{"n":1}',
    '{"n":1}',
  ]);
});
