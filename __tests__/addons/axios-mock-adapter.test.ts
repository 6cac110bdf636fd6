/**
 * axios-mock-adapter installed before or after `withAuth`: the driver wraps whatever adapter the
 * call has when its interceptor runs, so both orders see every exchange of the flow.
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { DigestAuth, withAuth } from '../../src/index';

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
