/**
 * Flows that misbehave or fail: the bound on requests per call, flows that yield nothing or
 * something that is not a request, errors thrown inside a flow (they reach the caller as the
 * same object), and the flow's `finally`, which runs however the call ends.
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import {
  Auth,
  AuthFlowError,
  AuthRequest,
  withAuth,
  type AsyncAuthFlow,
  type AuthFlow,
  type FlowRequest,
} from '../../src/index';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

class Forever extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    for (;;) yield request;
  }
}

describe('the bound on requests per call', () => {
  test('by default a flow is stopped after 10 requests, with a clear error', async () => {
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new Forever() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toBe(
      'Forever yielded more than 10 requests for one call and was stopped; raise ' +
        'withAuth(instance, { maxFlowRequests }) if the flow really needs more',
    );
    expect(server().requests).toHaveLength(10);
  });

  test('withAuth(instance, { maxFlowRequests: 3 }) sets the bound', async () => {
    const client = withAuth(axios.create(), { maxFlowRequests: 3 });
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new Forever() }),
    );
    expect((error as Error).message).toMatch(/^Forever yielded more than 3 requests for one call/);
    expect(server().requests).toHaveLength(3);
  });

  test('the bound is per call: each call may use all of it', async () => {
    class Three extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new Three() }), { maxFlowRequests: 3 });
    const responses = await Promise.all(
      [1, 2, 3].map(() => client.get(`${server().url}/anything`)),
    );
    expect(responses.map((response) => response.history.length)).toEqual([2, 2, 2]);
    expect(server().requests).toHaveLength(9);
  });

  test('a bound that is not a whole number of at least 1 is refused', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => withAuth(axios.create(), { maxFlowRequests: bad })).toThrow(
        new TypeError('withAuth: maxFlowRequests must be a whole number of at least 1'),
      );
    }
  });
});

describe('flows that yield no request, or something that is not one', () => {
  test('a flow that yields nothing: clear error, nothing sent', async () => {
    class Nothing extends Auth {
      // eslint-disable-next-line require-yield
      override *authFlow(): AuthFlow {
        return;
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new Nothing() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toBe(
      'Nothing finished its auth flow without yielding a request',
    );
    expect(server().requests).toHaveLength(0);
  });

  test.each<[string, unknown, string]>([
    ['a string', 'https://example.com/', 'string'],
    ['a number', 42, 'number'],
    ['null', null, 'null'],
    ['a URL', new URL('https://example.com/'), 'URL'],
    ['a Promise', Promise.resolve(1), 'Promise'],
    ['an array', [1, 2], 'an array of length 2'],
  ])('a flow that yields %s: clear error naming it, nothing sent', async (_name, value, shown) => {
    class Odd extends Auth {
      override *authFlow(): AuthFlow {
        yield value as FlowRequest;
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(client.get(`${server().url}/anything`, { auth: new Odd() }));
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toBe(
      `Odd yielded ${shown}; an auth flow must yield an AuthRequest or an axios request config`,
    );
    expect(server().requests).toHaveLength(0);
  });

  test('a flow that yields a config with no url: clear error, nothing sent', async () => {
    class NoUrl extends Auth {
      override *authFlow(): AuthFlow {
        yield { method: 'post', data: { a: 1 } };
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(client.get(`${server().url}/anything`, { auth: new NoUrl() }));
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toBe('NoUrl yielded a request config with no url');
    expect(server().requests).toHaveLength(0);
  });

  test('a bad second yield stops the call after the first exchange', async () => {
    class ThenOdd extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield 'again' as unknown as FlowRequest;
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new ThenOdd() }),
    );
    expect((error as Error).message).toMatch(/^ThenOdd yielded string;/);
    expect(server().requests).toHaveLength(1);
  });
});

describe('an error thrown inside a flow reaches the caller unchanged', () => {
  class Custom extends Error {
    readonly detail = 'kept';
  }

  test('thrown before the first yield (sync flow): same object, nothing sent', async () => {
    const thrown = new Custom('no token available');
    class Throws extends Auth {
      // eslint-disable-next-line require-yield
      override *authFlow(): AuthFlow {
        throw thrown;
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(client.get(`${server().url}/anything`, { auth: new Throws() }));
    expect(error).toBe(thrown);
    expect((error as Custom).detail).toBe('kept');
    expect(axios.isAxiosError(error)).toBe(false);
    expect(server().requests).toHaveLength(0);
  });

  test('thrown after an exchange (async flow): same object', async () => {
    const thrown = new Custom('refresh refused');
    class ThrowsLater extends Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        const response = yield request;
        if (response.status === 200) throw thrown;
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new ThrowsLater() }),
    );
    expect(error).toBe(thrown);
    expect(server().requests).toHaveLength(1);
  });

  test('a thrown non-Error value is passed through as is', async () => {
    class ThrowsString extends Auth {
      // eslint-disable-next-line require-yield
      override *authFlow(): AuthFlow {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a non-Error is the case
        throw 'plain string';
      }
    }
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new ThrowsString() }),
    );
    expect(error).toBe('plain string');
  });

  test('an error interceptor sees the flow error as the same object', async () => {
    const thrown = new Custom('from the flow');
    class Throws extends Auth {
      // eslint-disable-next-line require-yield
      override *authFlow(): AuthFlow {
        throw thrown;
      }
    }
    const client = withAuth(axios.create());
    const seen: unknown[] = [];
    client.interceptors.response.use(undefined, (error: unknown) => {
      seen.push(error);
      return Promise.reject(error);
    });
    await rejectionOf(client.get(`${server().url}/anything`, { auth: new Throws() }));
    expect(seen).toEqual([thrown]);
    expect(seen[0]).toBe(thrown);
  });
});

describe('the flow is always closed: its finally runs however the call ends', () => {
  function closingFlow(log: string[], body: (request: AuthRequest) => AuthFlow) {
    return class extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        try {
          yield* body(request);
        } finally {
          log.push('closed');
        }
      }
    };
  }

  test('on success', async () => {
    const log: string[] = [];
    const Closing = closingFlow(log, function* (request) {
      yield request;
    });
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { auth: new Closing() });
    expect(log).toEqual(['closed']);
  });

  test('when the final status fails validateStatus', async () => {
    const log: string[] = [];
    const Closing = closingFlow(log, function* (request) {
      yield request;
    });
    const client = withAuth(axios.create());
    await rejectionOf(client.get(`${server().url}/status/500`, { auth: new Closing() }));
    expect(log).toEqual(['closed']);
  });

  test('when the flow is stopped mid-way (the bound) — it is closed while suspended', async () => {
    const log: string[] = [];
    const Closing = closingFlow(log, function* (request) {
      for (;;) yield request;
    });
    const client = withAuth(axios.create(), { maxFlowRequests: 2 });
    await rejectionOf(client.get(`${server().url}/anything`, { auth: new Closing() }));
    expect(log).toEqual(['closed']);
  });

  test('when the transport fails (connection refused)', async () => {
    const log: string[] = [];
    const Closing = closingFlow(log, function* (request) {
      yield request;
      yield request;
    });
    const client = withAuth(axios.create());
    const error = await rejectionOf(client.get('http://127.0.0.1:1/', { auth: new Closing() }));
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(log).toEqual(['closed']);
  });

  test('on abort', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const Closing = closingFlow(log, function* (request) {
      yield request;
      controller.abort();
      yield request;
    });
    const client = withAuth(axios.create());
    await rejectionOf(
      client.get(`${server().url}/anything`, { auth: new Closing(), signal: controller.signal }),
    );
    expect(log).toEqual(['closed']);
  });

  test('an async flow, on error from the mock adapter', async () => {
    const log: string[] = [];
    class AsyncClosing extends Auth {
      override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
        try {
          yield request;
        } finally {
          log.push('closed');
        }
      }
    }
    const client = withAuth(axios.create());
    new MockAdapter(client).onGet('/x').networkError();
    const error = await rejectionOf(client.get('/x', { auth: new AsyncClosing() }));
    expect((error as Error).message).toBe('Network Error');
    expect(log).toEqual(['closed']);
  });
});
