/**
 * The caller's abort and timeout hold for the whole call, across every exchange of the flow:
 * a call aborted or timed out mid-flow rejects with axios's usual error and sends nothing more.
 */
import axios, { AxiosError, CanceledError } from 'axios';
import {
  Auth,
  AuthRequest,
  DigestAuth,
  withAuth,
  type AsyncAuthFlow,
  type AuthFlow,
} from '../../src/index';
import type { Route } from '../support/httpbin';
import { rejectionOf, useHttpbin } from '../support/helpers';

/**
 * Digest that takes its time: a request with no credentials gets the challenge (nonce n1) at
 * once; `/slow-digest/fast` accepts n1 at once; `/slow-digest/slow` answers n1 after 100 ms
 * with a stale nonce (n2), and n2 at once; `/slow-digest/slow-answer` answers n1 after 800 ms.
 */
const slowDigest: Route = (request, response) => {
  if (!request.path.startsWith('/slow-digest/')) return false;
  const authorization = request.headers.authorization ?? '';
  const challenge = (nonce: string, stale: boolean): void => {
    response.writeHead(401, {
      'WWW-Authenticate': `Digest realm="slow", nonce="${nonce}", qop="auth"${stale ? ', stale=true' : ''}`,
    });
    response.end();
  };
  if (!authorization.includes('nonce="n')) challenge('n1', false);
  else if (request.path === '/slow-digest/slow-answer') setTimeout(() => response.end('ok'), 800);
  else if (request.path === '/slow-digest/slow' && authorization.includes('nonce="n1"')) {
    setTimeout(() => challenge('n2', true), 100);
  } else response.end('ok');
  return true;
};

const server = useHttpbin([slowDigest]);

describe('abort mid-flow', () => {
  test('aborted between exchanges: CanceledError, and the server sees no further request', async () => {
    const controller = new AbortController();
    let closed = false;
    class AbortsAfterFirst extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        try {
          yield request;
          controller.abort(); // the caller gives up while the flow is between exchanges
          request.headers.set('X-Second', 'yes');
          yield request;
        } finally {
          closed = true;
        }
      }
    }
    const client = withAuth(axios.create({ auth: new AbortsAfterFirst() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(CanceledError);
    expect(axios.isCancel(error)).toBe(true);
    expect((error as AxiosError).code).toBe('ERR_CANCELED');
    expect((error as AxiosError).config?.url).toBe(`${server().url}/anything`);
    expect(server().requests).toHaveLength(1);
    expect(closed).toBe(true);
  });

  test('aborted while an async flow waits (a lock, I/O): the call rejects at once', async () => {
    const controller = new AbortController();
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => {
      closed = resolve;
    });
    let resume!: () => void;
    const waiting = new Promise<void>((resolve) => {
      resume = resolve;
    });
    class WaitsForever extends Auth {
      entered!: () => void;
      readonly entering = new Promise<void>((resolve) => {
        this.entered = resolve;
      });
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        try {
          yield request;
          this.entered();
          await waiting; // a lock another call holds
          yield request;
        } finally {
          closed();
        }
      }
    }
    const auth = new WaitsForever();
    const client = withAuth(axios.create({ auth }));
    const call = rejectionOf(client.get(`${server().url}/anything`, { signal: controller.signal }));
    await auth.entering;
    controller.abort();
    const error = await call;
    expect(axios.isCancel(error)).toBe(true);
    expect(server().requests).toHaveLength(1);
    // Once the lock is released the flow is closed without sending anything more.
    resume();
    await closing;
    expect(server().requests).toHaveLength(1);
  });

  test('aborted just before an async flow starts to wait: the call still rejects at once', async () => {
    const controller = new AbortController();
    let resume!: () => void;
    const waiting = new Promise<void>((resolve) => {
      resume = resolve;
    });
    class AbortsThenWaits extends Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        yield request;
        controller.abort();
        await waiting;
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new AbortsThenWaits() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { signal: controller.signal }),
    );
    expect(axios.isCancel(error)).toBe(true);
    resume();
    expect(server().requests).toHaveLength(1);
  });

  test('a CancelToken cancelled between exchanges works the same', async () => {
    const source = axios.CancelToken.source();
    class CancelsAfterFirst extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        source.cancel('caller changed its mind');
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new CancelsAfterFirst() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { cancelToken: source.token }),
    );
    expect(axios.isCancel(error)).toBe(true);
    expect((error as Error).message).toBe('caller changed its mind');
    expect(server().requests).toHaveLength(1);
  });

  test('aborted before the call: nothing is sent and the flow never starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = jest.fn();
    class Records extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        started();
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new Records() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { signal: controller.signal }),
    );
    expect(axios.isCancel(error)).toBe(true);
    expect(started).not.toHaveBeenCalled();
    expect(server().requests).toHaveLength(0);
  });

  test('a new request the flow yields is aborted with the call', async () => {
    const controller = new AbortController();
    class RefreshSlowly extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        setTimeout(() => controller.abort(), 50);
        yield { url: `${server().url}/delay/2000` };
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new RefreshSlowly() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { signal: controller.signal }),
    );
    expect(axios.isCancel(error)).toBe(true);
    // The refresh was started and aborted; the resend never happened.
    const sent = server().requests.map((request) => request.path);
    expect(sent.filter((path) => path === '/anything')).toHaveLength(1);
  });
});

describe('timeout mid-flow', () => {
  test('the timeout covers the whole flow, not each exchange', async () => {
    // Each exchange alone fits in the timeout; the three together do not.
    class TwoSlowExchanges extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new TwoSlowExchanges() }));
    const error = await rejectionOf(client.get(`${server().url}/delay/300`, { timeout: 700 }));
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).code).toBe('ECONNABORTED');
    expect((error as Error).message).toBe('timeout of 700ms exceeded');
  });

  test("with the fetch adapter too, the error names the call's timeout, not what was left of it", async () => {
    const client = withAuth(
      axios.create({ adapter: 'fetch', auth: new DigestAuth('olivia', 'secret') }),
    );
    // The challenge comes at once; the answer to the digest is 800 ms away.
    const error = await rejectionOf(
      client.get(`${server().url}/slow-digest/slow-answer`, { timeout: 300 }),
    );
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as Error).message).toBe('timeout of 300ms exceeded');
    expect((error as AxiosError).config?.timeout).toBe(300);
  });

  test('a timeout that runs out while an async flow waits rejects, and nothing more is sent', async () => {
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => {
      closed = resolve;
    });
    // The flow waits between its exchanges until the test opens the gate: after the call has
    // already timed out, so the timeout certainly ran out during the wait.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    class SlowBetweenExchanges extends Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        try {
          yield request;
          await gate;
          yield request;
        } finally {
          closed();
        }
      }
    }
    const client = withAuth(axios.create({ auth: new SlowBetweenExchanges() }));
    const error = await rejectionOf(client.get(`${server().url}/anything`, { timeout: 150 }));
    expect((error as AxiosError).code).toBe('ECONNABORTED');
    expect((error as Error).message).toBe('timeout of 150ms exceeded');
    // The flow finishes its wait, is closed, and its second request is never sent.
    open();
    await closing;
    expect(server().requests).toHaveLength(1);
  });

  test('timeoutErrorMessage and clarifyTimeoutError are honoured', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    class SlowBetweenExchanges extends Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        yield request;
        await gate; // opened once the call has timed out
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new SlowBetweenExchanges() }));
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, {
        timeout: 100,
        timeoutErrorMessage: 'auth took too long',
        transitional: { clarifyTimeoutError: true },
      }),
    );
    open();
    expect((error as AxiosError).code).toBe('ETIMEDOUT');
    expect((error as Error).message).toBe('auth took too long');
  });

  test('a call within its timeout succeeds, and its config still shows the timeout set', async () => {
    class Twice extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new Twice() }));
    const response = await client.get(`${server().url}/anything`, { timeout: 5000 });
    expect(response.status).toBe(200);
    expect(response.config.timeout).toBe(5000);
  });
});

test('a warm Digest call that meets a stale nonce sends its retry with what is left of the timeout', async () => {
  const timeouts: (number | undefined)[] = [];
  const http = axios.getAdapter('http');
  const client = withAuth(
    axios.create({
      auth: new DigestAuth('ada', 'pw'),
      // The adapter sees each exchange's own timeout: what is left of the call's.
      adapter: (config) => {
        timeouts.push(config.timeout);
        return http(config);
      },
    }),
  );
  await client.get(`${server().url}/slow-digest/fast`); // learns the challenge: warm from here
  timeouts.length = 0;

  const response = await client.get(`${server().url}/slow-digest/slow`, { timeout: 10_000 });

  expect(response.history.map((entry) => entry.status)).toEqual([401]);
  expect(timeouts).toHaveLength(2);
  expect(timeouts[0]).toBeGreaterThan(9_000);
  // The stale 401 took at least 100 ms: the retry has at most what was left after it.
  expect(timeouts[1]).toBeLessThanOrEqual(9_910);
  expect(timeouts[1]).toBeGreaterThan(0);
  // The config the caller sees keeps the caller's timeout.
  expect(response.config.timeout).toBe(10_000);
});
