/**
 * axios-retry with the driver: a retry is a new call of the instance, so it runs its own flow
 * (its history starts again) and a DigestAuth that already holds the challenge sends its
 * Authorization at once: one 401 dance for the whole retried call.
 */
import axios from 'axios';
import axiosRetry from 'axios-retry';
import MockAdapter from 'axios-mock-adapter';
import { DigestAuth, withAuth } from '../../src/index';

const CHALLENGE = 'Digest realm="test", nonce="abc", qop="auth", algorithm=MD5';

test('a 503 then 200 behind Digest: one 401, one retry, the final call has an empty history', async () => {
  const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
  let fulfilled = 0;
  client.interceptors.response.use((response) => {
    fulfilled += 1;
    return response;
  });
  const retried: number[] = [];
  axiosRetry(client, { retries: 2, retryDelay: () => 0, onRetry: (n) => void retried.push(n) });
  const mock = new MockAdapter(client);
  const statuses = [503, 200];
  mock.onGet('/resource').reply((config) => {
    const authorization = String(config.headers?.Authorization ?? '');
    if (!authorization.startsWith('Digest ')) return [401, '', { 'www-authenticate': CHALLENGE }];
    return [statuses.shift() ?? 500, 'ok'];
  });

  const response = await client.get('/resource');

  expect(response.status).toBe(200);
  expect(retried).toEqual([1]);
  expect(mock.history.get.map((r) => String(r.headers?.Authorization ?? '').split(' ')[0])).toEqual(
    ['', 'Digest', 'Digest'],
  );
  // The retry is a call of its own: its flow sent the remembered challenge's answer at once.
  expect(response.history).toEqual([]);
  // Registered before axios-retry, the caller's interceptor ran once, on the final response.
  expect(fulfilled).toBe(1);
});
