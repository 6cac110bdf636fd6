/**
 * `response.history`, as httpx has it: every earlier response of the call's flow, oldest first,
 * each with the ones before it; `[]` for one exchange; also on a rejected call's error.response.
 */
import axios from 'axios';
import type { AxiosAdapter, AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, AuthRequest, withAuth, type AuthFlow } from '../../src/index';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** Sends the request `attempts` times, numbering each attempt in `X-Attempt`. */
class Attempts extends Auth {
  constructor(private readonly attempts: number) {
    super();
  }
  override *authFlow(request: AuthRequest): AuthFlow {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      request.headers.set('X-Attempt', String(attempt));
      const response = yield request;
      if (response.status === 200) return;
    }
  }
}

/** The mock answers 401 until the given attempt, then `finalStatus`. */
function mockUntil(succeedAt: number, finalStatus = 200) {
  const client = withAuth(axios.create());
  const mock = new MockAdapter(client);
  mock.onGet('/x').reply((config) => {
    const attempt = Number(config.headers?.['X-Attempt']);
    return attempt >= succeedAt ? [finalStatus, { attempt }] : [401, { attempt }];
  });
  return client;
}

describe('history of a call', () => {
  test('a call that took one exchange has history []', async () => {
    const response = await mockUntil(1).get('/x', { auth: new Attempts(3) });
    expect(response.data).toEqual({ attempt: 1 });
    expect(response.history).toEqual([]);
  });

  test('a call with no auth at all has history []', async () => {
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/anything`);
    expect(response.history).toEqual([]);
  });

  describe("a call with no auth (the history is given beside axios's chain, not in it)", () => {
    test("the instance's response interceptors and a rejected call's handlers see history []", async () => {
      const client = withAuth(axios.create({ baseURL: server().url }));
      const seen: unknown[] = [];
      client.interceptors.response.use(
        (response) => (seen.push(response.history), response),
        (error: AxiosError) => {
          seen.push(error.response?.history);
          return Promise.reject(error);
        },
      );
      await client.get('/anything');
      await rejectionOf(client.get('/status/404'));
      expect(seen).toEqual([[], []]);
    });

    test('an adapter that answers with a thenable, not a promise: history [] all the same', async () => {
      const answer = (config: InternalAxiosRequestConfig) => ({
        data: 'ok',
        status: 200,
        statusText: 'OK',
        headers: {},
        config,
      });
      const thenable = (config: InternalAxiosRequestConfig) => ({
        then: (resolve: (value: unknown) => unknown) => resolve(answer(config)),
      });
      const client = withAuth(axios.create({ adapter: thenable as unknown as AxiosAdapter }));
      const response = await client.get('/x');
      expect(response.data).toBe('ok');
      expect(response.history).toEqual([]);
    });

    test('an adapter that fails, or answers with a read-only history, leaves no unhandled rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const readOnly = withAuth(
          axios.create({
            adapter: ((config: InternalAxiosRequestConfig) => {
              const response = { data: 'ok', status: 200, statusText: 'OK', headers: {}, config };
              Object.defineProperty(response, 'history', {
                get: () => 'its own',
                enumerable: true,
              });
              return Promise.resolve(response);
            }) as unknown as AxiosAdapter,
          }),
        );
        const failing = withAuth(
          axios.create({ adapter: () => Promise.reject(new Error('socket hang up')) }),
        );
        const oddError = Object.defineProperty(new Error('odd'), 'response', {
          get: () => {
            throw new Error('a response getter that throws');
          },
        });
        const odd = withAuth(axios.create({ adapter: () => Promise.reject(oddError) }));
        const response = await readOnly.get('/x');
        expect(response.status).toBe(200);
        expect(response.history).toBe('its own');
        expect(((await rejectionOf(failing.get('/x'))) as Error).message).toBe('socket hang up');
        // axios itself reads `response` as it handles the rejection, and rejects with what it threw.
        expect(await rejectionOf(odd.get('/x'))).toBeInstanceOf(Error);
        // Unhandled rejections are reported after the microtasks of the tick that made them.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
    });
  });

  test.each([
    ['no auth', {}],
    ['Basic', { auth: ['u', 'p'] as [string, string] }],
  ])(
    'an adapter that throws instead of rejecting reaches the error interceptors (%s)',
    async (_name, config) => {
      const boom = new Error('thrown by the adapter');
      const client = withAuth(
        axios.create({
          adapter: () => {
            throw boom;
          },
        }),
      );
      const seen: unknown[] = [];
      client.interceptors.response.use(undefined, (error: unknown) => {
        seen.push(error);
        return Promise.reject(error);
      });
      expect(await rejectionOf(client.get('http://h.test/', config))).toBe(boom);
      expect(seen).toEqual([boom]);
    },
  );

  test('earlier responses are in history, oldest first', async () => {
    const response = await mockUntil(3).get('/x', { auth: new Attempts(3) });
    expect(response.data).toEqual({ attempt: 3 });
    expect(response.history.map((earlier) => earlier.status)).toEqual([401, 401]);
    expect(response.history.map((earlier) => earlier.data)).toEqual([
      { attempt: 1 },
      { attempt: 2 },
    ]);
  });

  test('each earlier response has the ones before it as its own history', async () => {
    const response = await mockUntil(4).get('/x', { auth: new Attempts(4) });
    const [first, second, third] = response.history as [
      AxiosResponse,
      AxiosResponse,
      AxiosResponse,
    ];
    expect(response.history).toHaveLength(3);
    expect(first.history).toEqual([]);
    expect(second.history).toHaveLength(1);
    expect(second.history[0]).toBe(first);
    expect(third.history).toHaveLength(2);
    expect(third.history[0]).toBe(first);
    expect(third.history[1]).toBe(second);
  });

  test('a rejected call carries the history on error.response', async () => {
    const client = mockUntil(3, 403);
    const error = await rejectionOf(client.get('/x', { auth: new Attempts(3) }));
    expect(axios.isAxiosError(error)).toBe(true);
    const response = (error as { response: AxiosResponse }).response;
    expect(response.status).toBe(403);
    expect(response.data).toEqual({ attempt: 3 });
    expect(response.history.map((earlier) => earlier.status)).toEqual([401, 401]);
    expect(response.history[1]?.history[0]).toBe(response.history[0]);
    expect((error as Error).message).toBe('Request failed with status code 403');
  });

  test('a flow that gives up on a 401 rejects with the 401 and the earlier ones in history', async () => {
    const client = mockUntil(99);
    const error = await rejectionOf(client.get('/x', { auth: new Attempts(2) }));
    const response = (error as { response: AxiosResponse }).response;
    expect(response.status).toBe(401);
    expect(response.data).toEqual({ attempt: 2 });
    expect(response.history.map((earlier) => earlier.data)).toEqual([{ attempt: 1 }]);
  });

  test('over HTTP: history bodies are parsed as the final body is, headers are AxiosHeaders', async () => {
    const client = withAuth(axios.create({ baseURL: server().url }));
    class ResendWithToken extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status === 401) {
          request.headers.set('X-Authentication', 'access-0');
          yield request;
        }
      }
    }
    const response = await client.get('/protected', { auth: new ResendWithToken() });
    const [unauthorized] = response.history;
    expect(unauthorized?.status).toBe(401);
    expect(unauthorized?.data).toEqual({ authenticated: false });
    expect(unauthorized?.headers['content-type']).toBe('application/json');
    expect(response.data).toEqual({ authenticated: true });
  });
});
