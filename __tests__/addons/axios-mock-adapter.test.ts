/**
 * axios-mock-adapter installed before or after `withAuth`: the driver wraps whatever adapter the
 * call has when its interceptor runs, so both orders see every exchange of the flow, also when
 * the mock passes requests through to a real server (through a child instance of the client,
 * which must not apply the client's auth a second time).
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, DigestAuth, withAuth, type AuthFlow, type AuthRequest } from '../../src/index';
import { useHttpbin } from '../support/helpers';

const CHALLENGE = 'Digest realm="test", nonce="abc", qop="auth", algorithm=MD5';

test.each(['before', 'after'])('mock adapter installed %s withAuth', async (order) => {
  const instance = axios.create();
  let mock = order === 'before' ? new MockAdapter(instance) : undefined;
  const client = withAuth(instance);
  mock ??= new MockAdapter(instance);
  mock
    .onGet('/x')
    .reply((config) =>
      String(config.headers?.Authorization ?? '').startsWith('Digest ')
        ? [200, 'ok']
        : [401, '', { 'www-authenticate': CHALLENGE }],
    );

  const response = await client.get('/x', { auth: new DigestAuth('olivia', 'secret') });

  expect(response.status).toBe(200);
  expect(response.history.map((r) => r.status)).toEqual([401]);
  expect(mock.history.get).toHaveLength(2);
});

describe('passThrough to a real server, with the auth on the client', () => {
  const server = useHttpbin();

  describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
    test.each(['before', 'after'])(
      'mock installed %s withAuth: one flow, every exchange seen',
      async (order) => {
        const instance = axios.create({ adapter, auth: new DigestAuth('u', 'p') });
        let mock = order === 'before' ? new MockAdapter(instance) : undefined;
        const client = withAuth(instance);
        mock ??= new MockAdapter(instance);
        mock.onGet(/digest-auth/).passThrough();

        const response = await client.get(`${server().url}/digest-auth/auth/u/p`);

        expect(response.status).toBe(200);
        expect(response.history.map((r) => r.status)).toEqual([401]);
        expect(mock.history.get).toHaveLength(2);
        expect(server().requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([
          undefined,
          'Digest',
        ]);
      },
    );
  });

  test('a custom flow on the client runs once per call', async () => {
    let runs = 0;
    class Counting extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        runs += 1;
        request.headers.set('X-Run', String(runs));
        yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new Counting() }));
    new MockAdapter(client).onAny().passThrough();
    await client.get(`${server().url}/anything`);
    expect(runs).toBe(1);
    expect(server().requests.map((r) => r.headers['x-run'])).toEqual(['1']);
  });
});
