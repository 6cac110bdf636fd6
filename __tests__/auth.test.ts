/**
 * `Auth` and `FunctionAuth`: flows driven by hand with no transport (what httpx's design makes
 * possible), and httpx's sync/async split as it maps onto `authFlow` / `asyncAuthFlow`:
 *
 *   httpx `auth_flow`        -> `authFlow` (a plain generator, no I/O; driven through `asyncAuthFlow`)
 *   httpx `async_auth_flow`  -> `asyncAuthFlow` (what `withAuth` drives; may await I/O and locks)
 *   httpx `sync_auth_flow`   -> `authFlow` driven by hand (axios has no synchronous client)
 *   RuntimeError convention  -> the method a class does not support throws a clear Error
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import {
  Auth,
  AuthRequest,
  FunctionAuth,
  withAuth,
  type AsyncAuthFlow,
  type AuthFlow,
} from '../src/index';
import { rejectionOf, useHttpbin } from './support/helpers';

const server = useHttpbin();

/** A response to resume a flow with by hand: only what a flow reads. */
function responseWith(status: number, data: unknown = null): AxiosResponse {
  return { status, statusText: '', headers: {}, data, config: {}, history: [] } as never;
}

function requestFor(url: string): AuthRequest {
  return new AuthRequest({ method: 'get', url });
}

describe('driving a flow by hand, with no transport', () => {
  test('the default Auth flow yields the request unchanged and ends after one response', () => {
    const request = requestFor('https://example.com/');
    const flow = new Auth().authFlow(request);
    const first = flow.next();
    expect(first.done).toBe(false);
    expect(first.value).toBe(request);
    expect(request.headers.has('Authorization')).toBe(false);
    expect(flow.next(responseWith(200)).done).toBe(true);
  });

  test('the seed resend-on-401 flow: next() then send(401) then send(200)', () => {
    class MyCustomAuth extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status === 401) {
          request.headers.set('X-Authentication', 'token');
          yield request;
        }
      }
    }
    const request = requestFor('https://example.com/');
    const flow = new MyCustomAuth().authFlow(request);
    const first = flow.next();
    expect(first.value).toBe(request);
    expect(request.headers.get('X-Authentication')).toBeUndefined();
    const second = flow.next(responseWith(401));
    expect(second.done).toBe(false);
    expect((second.value as AuthRequest).headers.get('X-Authentication')).toBe('token');
    expect(flow.next(responseWith(200)).done).toBe(true);
  });

  test('the default asyncAuthFlow runs authFlow', async () => {
    class Header extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('X-Step', 'one');
        const response = yield request;
        request.headers.set('X-Step', `after ${response.status}`);
        yield request;
      }
    }
    const flow = new Header().asyncAuthFlow(requestFor('https://example.com/'));
    const first = await flow.next();
    expect((first.value as AuthRequest).headers.get('X-Step')).toBe('one');
    const second = await flow.next(responseWith(401));
    expect((second.value as AuthRequest).headers.get('X-Step')).toBe('after 401');
    expect((await flow.next(responseWith(200))).done).toBe(true);
  });

  test('a request made by hand shows its URL with params applied', () => {
    const request = new AuthRequest({
      method: 'post',
      baseURL: 'https://example.com/api/',
      url: 'items',
      params: { q: 'a b' },
    });
    expect(request.method).toBe('POST');
    expect(request.url.href).toBe('https://example.com/api/items?q=a+b');
  });
});

describe('FunctionAuth: the callable form', () => {
  test('authFlow driven by hand yields what the function returned', () => {
    const auth = new FunctionAuth((request) => {
      request.headers.set('Authorization', 'Token by-hand');
      return request;
    });
    const request = requestFor('https://example.com/');
    const flow = auth.authFlow(request);
    const first = flow.next();
    expect(first.value).toBe(request);
    expect(request.headers.get('Authorization')).toBe('Token by-hand');
    expect(flow.next(responseWith(200)).done).toBe(true);
  });

  test('a function may return another AuthRequest, which is the one sent', async () => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything/original`, {
      auth: (request: AuthRequest) => {
        const other = request.clone();
        other.url = `${server().url}/anything/replaced`;
        other.headers.set('X-Clone', 'yes');
        return other;
      },
    });
    expect(server().requests.map((request) => request.path)).toEqual(['/anything/replaced']);
    expect(server().requests[0]?.headers['x-clone']).toBe('yes');
  });

  test('an async function cannot be driven synchronously: authFlow says so', () => {
    const auth = new FunctionAuth(async (request) => request);
    const flow = auth.authFlow(requestFor('https://example.com/'));
    expect(() => flow.next()).toThrow(/returned a promise.*asyncAuthFlow/);
  });

  test('an async function is awaited by asyncAuthFlow', async () => {
    const auth = new FunctionAuth(async (request) => {
      request.headers.set('Authorization', 'Token async');
      return request;
    });
    const request = requestFor('https://example.com/');
    const step = await auth.asyncAuthFlow(request).next();
    expect(step.value).toBe(request);
    expect(request.headers.get('Authorization')).toBe('Token async');
  });

  test('a function that returns nothing fails the call and nothing is sent', async () => {
    const client = withAuth(axios.create());
    const forgetful = ((request: AuthRequest) => {
      request.headers.set('Authorization', 'Token lost');
    }) as unknown as (request: AuthRequest) => AuthRequest;
    const error = await rejectionOf(client.get(`${server().url}/anything`, { auth: forgetful }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/auth function returned nothing/);
    expect(server().requests).toHaveLength(0);
  });

  test('new FunctionAuth(not a function) is a TypeError', () => {
    expect(() => new FunctionAuth('token' as never)).toThrow(
      new TypeError('FunctionAuth takes a function (request) => request'),
    );
  });
});

describe("httpx's sync/async split and its RuntimeError convention", () => {
  /** Async only: the sync path raises, as httpx's example raises RuntimeError. */
  class AsyncOnlyAuth extends Auth {
    constructor(private readonly tokenFile: string) {
      super();
    }
    override authFlow(): AuthFlow {
      throw new Error('AsyncOnlyAuth reads its token from disk: it only supports asyncAuthFlow');
    }
    override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
      // I/O other than HTTP (a token cache on disk) is what asyncAuthFlow is for.
      const token = (await readFile(this.tokenFile, 'utf8')).trim();
      request.headers.set('Authorization', `Token ${token}`);
      yield request;
    }
  }

  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'auth-flow-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('an asyncAuthFlow that reads a token from disk authenticates the call', async () => {
    const file = path.join(directory, 'token');
    await writeFile(file, 'from-disk\n');
    const client = withAuth(axios.create({ auth: new AsyncOnlyAuth(file) }));
    const response = await client.get(`${server().url}/anything`);
    expect(response.status).toBe(200);
    expect(server().requests[0]?.headers.authorization).toBe('Token from-disk');
  });

  test('an async-only class refuses the sync path with its own message', () => {
    const auth = new AsyncOnlyAuth('/nonexistent');
    expect(() => auth.authFlow()).toThrow(/only supports asyncAuthFlow/);
  });

  test('a sync-only class refuses asyncAuthFlow: the call rejects with that error, nothing sent', async () => {
    const refusal = new Error('Cannot use a sync authentication class with axios-auth-flow');
    class SyncOnlyAuth extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('Authorization', 'Token sync');
        yield request;
      }
      // eslint-disable-next-line require-yield
      override async *asyncAuthFlow(): AsyncAuthFlow {
        throw refusal;
      }
    }
    const client = withAuth(axios.create({ auth: new SyncOnlyAuth() }));
    const error = await rejectionOf(client.get(`${server().url}/anything`));
    expect(error).toBe(refusal);
    expect(server().requests).toHaveLength(0);
  });
});

test('a subclass may assign its own `password` property (as pre-ES2022 TypeScript output does)', async () => {
  class LegacyFields extends Auth {
    // `declare` emits no class field: the constructor's assignment is a plain `this.password =`.
    declare password: string;
    constructor(password: string) {
      super();
      this.password = password;
    }
    override *authFlow(request: AuthRequest): AuthFlow {
      request.headers.set('X-Password', this.password);
      yield request;
    }
  }
  const auth = new LegacyFields('pw-1');
  expect(auth.password).toBe('pw-1');
  const response = await withAuth(axios.create()).get(`${server().url}/anything`, { auth });
  expect(response.status).toBe(200);
  expect(server().requests[0]?.headers['x-password']).toBe('pw-1');
});
