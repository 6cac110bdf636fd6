/**
 * BasicAuth (RFC 7617): both constructor forms, UTF-8 credentials, the header on the first
 * request, bad credentials refused before anything is sent, and never printed.
 */
import { inspect } from 'node:util';
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { AuthRequest, BasicAuth, withAuth } from '../../src/index';
import { basicHeader, rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

function headerOf(auth: BasicAuth): string | undefined {
  const request = new AuthRequest({ method: 'get', url: 'https://example.com/' });
  const step = auth.authFlow(request).next();
  const value = (step.value as AuthRequest).headers.get('Authorization');
  return typeof value === 'string' ? value : undefined;
}

describe('BasicAuth', () => {
  test('(username, password) and ({ username, password }) give the same header', () => {
    expect(headerOf(new BasicAuth('finley', 'secret'))).toBe(basicHeader('finley', 'secret'));
    expect(headerOf(new BasicAuth({ username: 'finley', password: 'secret' }))).toBe(
      basicHeader('finley', 'secret'),
    );
  });

  test('the header is the RFC 7617 example', () => {
    // RFC 7617 §2: Aladdin / open sesame.
    expect(headerOf(new BasicAuth('Aladdin', 'open sesame'))).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
  });

  test('credentials are encoded as UTF-8 (RFC 7617 §2.1), as httpx and curl send them', () => {
    // RFC 7617 §2.1's example: "test" / "123£" in UTF-8.
    expect(headerOf(new BasicAuth('test', '123\u00A3'))).toBe('Basic dGVzdDoxMjPCow==');
    expect(headerOf(new BasicAuth('Ünïcödé', '密码🔑'))).toBe(basicHeader('Ünïcödé', '密码🔑'));
  });

  test('empty user name and password are allowed', () => {
    expect(headerOf(new BasicAuth('', ''))).toBe('Basic Og==');
  });

  test('a colon in the password is fine; the server splits at the first one', async () => {
    const client = withAuth(axios.create());
    const response = await client.get(`${server().url}/basic-auth/user/pa:ss`, {
      auth: new BasicAuth('user', 'pa:ss'),
    });
    expect(response.status).toBe(200);
  });

  test('sent on the first request: one exchange, no challenge round trip', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('finley', 'secret') }));
    const response = await client.get(`${server().url}/basic-auth/finley/secret`);
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(server().requests).toHaveLength(1);
  });

  test('one BasicAuth serves many concurrent calls', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('finley', 'secret') }));
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => client.get(`${server().url}/basic-auth/finley/secret`)),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(server().requests.map((r) => r.headers.authorization)).size).toBe(1);
  });

  test('works with the mock adapter', async () => {
    const client = withAuth(axios.create());
    const mock = new MockAdapter(client);
    mock.onGet('/x').reply((config) => [200, config.headers?.Authorization]);
    const response = await client.get('/x', { auth: new BasicAuth('a', 'b') });
    expect(response.data).toBe(basicHeader('a', 'b'));
  });
});

describe('bad credentials are refused before anything is sent', () => {
  test.each([
    ['CR', 'user\rname'],
    ['LF', 'user\nname'],
    ['NUL', 'user\0name'],
  ])('%s in the user name', (_what, username) => {
    expect(() => new BasicAuth(username, 'secret')).toThrow(
      new TypeError('BasicAuth: the username contains CR, LF or NUL, which cannot be sent'),
    );
  });

  test.each([
    ['CR', 'pass\rX-Injected: 1'],
    ['LF', 'pass\nX-Injected: 1'],
    ['CRLF', 'pass\r\nX-Injected: 1'],
    ['NUL', 'pass\0'],
  ])('%s in the password', (_what, password) => {
    let error: unknown;
    try {
      new BasicAuth('user', password);
    } catch (caught) {
      error = caught;
    }
    expect(error).toEqual(
      new TypeError('BasicAuth: the password contains CR, LF or NUL, which cannot be sent'),
    );
    expect((error as Error).message).not.toContain('Injected');
  });

  test("':' in the user name", () => {
    expect(() => new BasicAuth('us:er', 'secret')).toThrow(
      new TypeError('BasicAuth: the username contains ":", which Basic cannot carry'),
    );
  });

  test('a user name or password that is not a string', () => {
    expect(() => new BasicAuth(42 as never, 'secret')).toThrow(
      new TypeError('BasicAuth: the username must be a string'),
    );
    expect(() => new BasicAuth({ username: 'user' } as never)).toThrow(
      new TypeError('BasicAuth: the password must be a string'),
    );
  });

  test.each<[string, unknown, string]>([
    [
      'a tuple with LF',
      ['user', 'pa\nss'],
      'BasicAuth: the password contains CR, LF or NUL, which cannot be sent',
    ],
    [
      'a tuple with a colon in the user name',
      ['us:er', 'pass'],
      'BasicAuth: the username contains ":", which Basic cannot carry',
    ],
    [
      '{ username, password } with CR',
      { username: 'us\rer', password: 'p' },
      'BasicAuth: the username contains CR, LF or NUL, which cannot be sent',
    ],
    [
      '{ username, password } with a colon',
      { username: 'a:b', password: 'p' },
      'BasicAuth: the username contains ":", which Basic cannot carry',
    ],
  ])(
    'per request, %s: the call rejects and the server receives nothing',
    async (_name, auth, message) => {
      const client = withAuth(axios.create());
      const error = await rejectionOf(
        client.get(`${server().url}/anything`, { auth: auth as never }),
      );
      expect(error).toEqual(new TypeError(message));
      expect(server().requests).toHaveLength(0);
    },
  );

  test('CR/LF in URL credentials: the call rejects and the server receives nothing', async () => {
    const client = withAuth(axios.create());
    const url = server().url.replace('http://', 'http://user:pa%0D%0Ass@');
    const error = await rejectionOf(client.get(`${url}/anything`));
    expect(error).toEqual(
      new TypeError('BasicAuth: the password contains CR, LF or NUL, which cannot be sent'),
    );
    expect(server().requests).toHaveLength(0);
  });

  test('bad client credentials are refused when the client is set up', () => {
    expect(() => withAuth(axios.create({ auth: ['us:er', 'pass'] }))).toThrow(
      new TypeError('BasicAuth: the username contains ":", which Basic cannot carry'),
    );
  });
});

describe('a BasicAuth never shows its password', () => {
  const auth = new BasicAuth('finley', 'hunter2-secret');
  const encoded = basicHeader('finley', 'hunter2-secret').slice('Basic '.length);

  test.each([
    ['util.inspect', () => inspect(auth, { depth: 10, showHidden: true })],
    ['JSON.stringify', () => JSON.stringify(auth)],
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what String() prints is the point
    ['String()', () => String(auth)],
    ['template literal', () => `${auth as unknown as string}`],
    ['inspect inside an object', () => inspect({ config: { auth } }, { depth: 10 })],
  ])('%s', (_how, show) => {
    const text = show();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(encoded);
  });

  test('console.log prints the user name and a redacted password', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      console.log(auth);
      const printed = inspect(log.mock.calls[0]?.[0]);
      expect(printed).toBe('BasicAuth { username: "finley", password: \'[redacted]\' }');
    } finally {
      log.mockRestore();
    }
  });

  test('JSON shows the type and user name only', () => {
    expect(JSON.parse(JSON.stringify(auth))).toEqual({
      type: 'BasicAuth',
      username: 'finley',
      password: '[redacted]',
    });
  });

  test('the password is not an own or enumerable property', () => {
    expect(Object.values(auth)).not.toContain('hunter2-secret');
    expect(Object.getOwnPropertyNames(auth).map((name) => (auth as never)[name])).not.toContain(
      'hunter2-secret',
    );
  });
});
