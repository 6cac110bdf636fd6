/**
 * The `auth` option: any value that is not one of the accepted forms is a TypeError that lists
 * the forms, raised before anything is sent, never showing the value (it may be a secret).
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { BasicAuth, DigestAuth, withAuth } from '../src/index';
import { rejectionOf, useHttpbin } from './support/helpers';

const server = useHttpbin();

const FORMS =
  'a [username, password] pair, { username, password }, an Auth instance ' +
  '(BasicAuth, DigestAuth, NetRCAuth, BearerAuth, OAuth2Auth or a subclass of Auth), ' +
  'a function (request) => request, or null';

const invalid: [string, unknown, string][] = [
  ['a number', 42, 'number'],
  ['a string', 'user:s3cret', 'string'],
  ['true', true, 'boolean'],
  ['an empty object', {}, 'Object'],
  ['a Map', new Map([['username', 'u']]), 'Map'],
  ['an object with a password but no username', { password: 's3cret' }, 'Object'],
  [
    'an object without password',
    { username: 'user' },
    '{ username, password } whose password is not a string',
  ],
  [
    'an object with a number password',
    { username: 'user', password: 1234 },
    '{ username, password } whose password is not a string',
  ],
  [
    'an object with a number username',
    { username: 7, password: 's3cret' },
    '{ username, password } whose username is not a string',
  ],
  ['an array of one', ['user'], 'an array of length 1'],
  ['an array of three', ['user', 's3cret', 'extra'], 'an array of length 3'],
  ['an array with a number', ['user', 1234], 'an array of length 2 that is not two strings'],
  [
    'the DigestAuth class instead of an instance',
    DigestAuth,
    'the class DigestAuth itself; pass an instance: new DigestAuth(...)',
  ],
  ['an object of an anonymous class', new (class {})(), 'an object of an anonymous class'],
].map(([name, value, got]) => [
  name as string,
  value,
  `axios-auth-flow: \`auth\` must be ${FORMS}; got ${got as string}`,
]);

describe('an invalid auth value', () => {
  test.each(invalid)(
    'per request, %s: TypeError listing the forms, nothing sent',
    async (_name, value, message) => {
      const client = withAuth(axios.create());
      const error = await rejectionOf(
        client.get(`${server().url}/anything`, { auth: value as never }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(message);
      expect((error as Error).message).not.toContain('s3cret');
      expect(server().requests).toHaveLength(0);
    },
  );

  test.each(invalid)('on the client, %s: TypeError from withAuth', (_name, value, message) => {
    expect(() => withAuth(axios.create({ auth: value as never }))).toThrow(new TypeError(message));
  });

  test('set on instance.defaults after withAuth: every call rejects, nothing sent', async () => {
    const client = withAuth(axios.create());
    client.defaults.auth = 42 as never;
    const error = await rejectionOf(client.get(`${server().url}/anything`));
    expect((error as Error).message).toBe(`axios-auth-flow: \`auth\` must be ${FORMS}; got number`);
    expect(server().requests).toHaveLength(0);
  });

  test('an auth object on an instance without withAuth: a TypeError naming the fix, nothing sent', async () => {
    // axios's own Basic handling would otherwise send `Basic finley:` and get a 401.
    const error = await rejectionOf(
      axios.create().get(`${server().url}/anything`, {
        auth: new BasicAuth('finley', 's3cret') as never,
      }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      "axios-auth-flow: a BasicAuth reached axios's own `auth` handling, so this axios instance " +
        'has no auth driver: call withAuth(instance) once before using it',
    );
    expect(server().requests).toHaveLength(0);
  });

  test('with the mock adapter: the adapter is never called', async () => {
    const client = withAuth(axios.create());
    const mock = new MockAdapter(client);
    mock.onAny().reply(200);
    await rejectionOf(client.get('/x', { auth: ['only-one'] as never }));
    expect(mock.history.get).toHaveLength(0);
  });

  test('an invalid auth rejects the call; it does not throw synchronously', () => {
    const client = withAuth(axios.create());
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = client.get(`${server().url}/anything`, { auth: 42 as never });
    }).not.toThrow();
    return expect(call).rejects.toThrow(TypeError);
  });
});

describe('values that mean "no auth"', () => {
  test.each([
    ['undefined', undefined],
    ['null', null],
  ])('%s sends no Authorization', async (_name, value) => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { auth: value as never });
    expect(server().requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });
});
