/**
 * One `maxFlowRequests` budget per call, across every request a flow yields with an auth of its
 * own, at any depth: a refresh step that nests a fresh auth of the same class, a nested request
 * as the very first step, and auth objects that yield each other all stop with an
 * `AuthFlowError` that names the bound, never a flood of requests or a stack overflow.
 */
import axios from 'axios';
import { Auth, AuthFlowError, withAuth, type AuthFlow, type AuthRequest } from '../../src/index';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** The refresh step of point 2: on a 401, fetch a token with a fresh auth of the same class. */
class RefreshWithSameClass extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    const response = yield request;
    if (response.status === 401) {
      yield { url: `${server().url}/status/401?refresh`, auth: new RefreshWithSameClass() };
      yield request;
    }
  }
}

/** A flow whose first step is a request with an auth of its own (of the same class). */
class NestedFirst extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    yield { url: `${server().url}/anything/token`, auth: new NestedFirst() };
    yield request;
  }
}

/** Two auth objects whose flows yield requests authenticated by each other. */
class Ping extends Auth {
  pong: Auth | undefined;
  override *authFlow(request: AuthRequest): AuthFlow {
    yield request;
    yield { url: `${server().url}/anything/ping`, auth: this.pong };
  }
}
class Pong extends Auth {
  constructor(readonly ping: Auth) {
    super();
  }
  override *authFlow(request: AuthRequest): AuthFlow {
    yield request;
    yield { url: `${server().url}/anything/pong`, auth: this.ping };
  }
}

const BUDGET =
  /yielded more than (\d+) requests for one call \(nested requests with their own auth included\) and was stopped; raise withAuth\(instance, \{ maxFlowRequests \}\)/;

describe.each([
  ['the default maxFlowRequests (10)', undefined],
  ['maxFlowRequests: 4', 4],
] as const)('with %s', (_name, max) => {
  const bound = max ?? 10;
  const client = () => withAuth(axios.create(), max === undefined ? {} : { maxFlowRequests: max });

  test('a refresh step that nests a fresh auth of its own class sends at most the bound', async () => {
    const error = await rejectionOf(
      client().get(`${server().url}/status/401`, { auth: new RefreshWithSameClass() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toMatch(BUDGET);
    expect((error as Error).message).toContain(`more than ${bound} requests`);
    expect(server().requests).toHaveLength(bound);
  });

  test('a nested request as the first step is bounded too, before anything is sent', async () => {
    const error = await rejectionOf(
      client().get(`${server().url}/anything/main`, { auth: new NestedFirst() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(BUDGET);
    expect(server().requests).toHaveLength(0);
  });
});

test('auth objects that yield each other are a cycle, stopped when it closes', async () => {
  const ping = new Ping();
  ping.pong = new Pong(ping);
  const error = await rejectionOf(
    withAuth(axios.create()).get(`${server().url}/anything/main`, { auth: ping }),
  );
  expect(error).toBeInstanceOf(AuthFlowError);
  expect((error as Error).message).toBe(
    'auth flows yield each other in a cycle (Ping → Pong → Ping) and were stopped; a ' +
      "request's auth may not be one already running for it. At most 10 requests " +
      '(maxFlowRequests) go out for one call, nested ones included',
  );
  // Ping's own request, then Pong's (the request Ping yielded); Pong's yield of Ping is refused.
  expect(server().requests.map((request) => request.path)).toEqual([
    '/anything/main',
    '/anything/ping',
  ]);
});

test('nested requests that stay within the budget are sent, and each counts once', async () => {
  /** Fetches a token through an auth that itself takes one exchange, then retries. */
  class Inner extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      request.headers.set('X-Inner', '1');
      yield request;
    }
  }
  class Outer extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield { url: `${server().url}/anything/a`, auth: new Inner() };
      yield { url: `${server().url}/anything/b`, auth: new Inner() };
      yield request;
    }
  }
  // 3 requests: exactly the budget.
  const response = await withAuth(axios.create(), { maxFlowRequests: 3 }).get(
    `${server().url}/anything/main`,
    { auth: new Outer() },
  );
  expect(response.status).toBe(200);
  expect(response.history).toHaveLength(2);
  expect(server().requests.map((request) => request.path)).toEqual([
    '/anything/a',
    '/anything/b',
    '/anything/main',
  ]);
  const overBudget = await rejectionOf(
    withAuth(axios.create(), { maxFlowRequests: 2 }).get(`${server().url}/anything/main`, {
      auth: new Outer(),
    }),
  );
  expect((overBudget as Error).message).toMatch(/^Outer yielded more than 2 requests for one call/);
});
