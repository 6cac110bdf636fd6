/**
 * axios-cache-interceptor with the driver, in both wrapping orders. Its default cache key ignores
 * `auth`, so with per-request auth one user would get another's cached 200; `authAwareKey` (the
 * README's key) adds who asks to the key.
 */
import { createHash } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { buildKeyGenerator, setupCache, type KeyGenerator } from 'axios-cache-interceptor';
import { BasicAuth, withAuth, type AuthOption } from '../../src/index';

const isPair = (auth: AuthOption): auth is readonly [string, string] => Array.isArray(auth);
/** A hash, so that the key never holds a password. */
const credentialId = (username: string, password: string): string =>
  createHash('sha256').update(`${username}\0${password}`).digest('hex');

/** Who asks: the same pair or auth object gives the same identity, any other a different one. */
const ids = new WeakMap<object, string>();
let next = 0;
function authIdentity(auth: AuthOption | null | undefined): string {
  if (auth === undefined || auth === null) return 'none';
  if (isPair(auth)) return credentialId(auth[0], auth[1]);
  if (typeof auth === 'object' && !('authFlow' in auth)) {
    return credentialId(auth.username, auth.password);
  }
  if (!ids.has(auth)) ids.set(auth, `object-${++next}`);
  return ids.get(auth)!;
}

const authAwareKey: KeyGenerator = buildKeyGenerator((request) => ({
  method: request.method,
  baseURL: request.baseURL,
  url: request.url,
  params: request.params,
  auth: authIdentity(request.auth as AuthOption | null | undefined),
}));

/** A server that answers each user with their own name, and counts what reaches it. */
function serve(instance: AxiosInstance): { hits: () => number } {
  let hits = 0;
  new MockAdapter(instance).onGet('/me').reply((config) => {
    hits += 1;
    const header = String(config.headers?.Authorization ?? '');
    const user = Buffer.from(header.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':')[0];
    return header ? [200, { user }] : [401, ''];
  });
  return { hits: () => hits };
}

// Both orders run alike; only withAuth outermost is typed with every `auth` form (the other is
// typed as the cache's instance), hence the `as object` configs, shared by both orders here.
describe.each(['withAuth(setupCache(i))', 'setupCache(withAuth(i))'])('%s', (order) => {
  const make = (generateKey?: KeyGenerator): { client: AxiosInstance; hits: () => number } => {
    const instance = axios.create();
    const { hits } = serve(instance);
    const options = generateKey ? { generateKey } : {};
    const client =
      order === 'withAuth(setupCache(i))'
        ? withAuth(setupCache(instance, options))
        : setupCache(withAuth(instance), options);
    return { client, hits };
  };

  test('a second call is a cache hit', async () => {
    const { client, hits } = make(authAwareKey);
    const auth = new BasicAuth('alice', 'a');
    const first = await client.get('/me', { auth } as object);
    const second = await client.get('/me', { auth } as object);
    expect([first.data, second.data]).toEqual([{ user: 'alice' }, { user: 'alice' }]);
    expect(hits()).toBe(1);
    expect((second as { cached?: boolean }).cached).toBe(true);
  });

  test("the default key gives bob alice's cached answer; the auth-aware key does not", async () => {
    const plain = make();
    await plain.client.get('/me', { auth: ['alice', 'a'] } as object);
    const leaked = await plain.client.get('/me', { auth: ['bob', 'b'] } as object);
    expect(leaked.data).toEqual({ user: 'alice' });

    const aware = make(authAwareKey);
    await aware.client.get('/me', { auth: ['alice', 'a'] } as object);
    const bob = await aware.client.get('/me', { auth: ['bob', 'b'] } as object);
    const wrongPassword = await aware.client
      .get('/me', { auth: ['alice', 'wrong'] } as object)
      .catch((error: { response?: { status: number } }) => error.response);
    expect(bob.data).toEqual({ user: 'bob' });
    expect(wrongPassword?.status).toBe(200);
    expect(aware.hits()).toBe(3);
  });
});
