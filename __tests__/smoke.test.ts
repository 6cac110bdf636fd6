import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { withAuth, BasicAuth, Auth, type AuthFlow, AuthRequest } from '../src/index';

test('smoke', async () => {
  const client = withAuth(axios.create());
  const mock = new MockAdapter(client);
  mock.onGet('/x').reply((config) => [config.headers?.Authorization ? 200 : 401, { ok: 1 }]);
  const r = await client.get('/x', { auth: new BasicAuth('u', 'p') });
  expect(r.status).toBe(200);
  expect(r.history).toEqual([]);
  expect(r.data).toEqual({ ok: 1 });
  class Retry extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        request.headers.set('Authorization', 'Token t');
        yield request;
      }
    }
  }
  client.interceptors.response.use((res) => res.data);
  const d = await client.get('/x', { auth: new Retry() });
  expect(d).toEqual({ ok: 1 });
});
