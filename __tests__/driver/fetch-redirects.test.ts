/**
 * The fetch adapter's redirects, which the driver follows itself for authenticated exchanges
 * (fetch has no hook, and keeps custom headers across origins): credentials dropped once stay
 * dropped for the rest of the chain, `maxRedirects` holds, the caller's own `redirect` choice
 * stands, and a browser's opaque answer to a manual redirect stops the call with a clear error.
 */
import axios, { AxiosError } from 'axios';
import { AuthFlowError, withAuth, type AuthRequest } from '../../src/index';
import { rejectionOf } from '../support/helpers';
import { startRedirectServers, type RedirectServers } from '../support/redirect-servers';

let servers: RedirectServers;
beforeAll(async () => {
  servers = await startRedirectServers();
});
afterAll(() => servers.close());
beforeEach(() => {
  servers.requests.length = 0;
});

const apiKey = (request: AuthRequest): AuthRequest => {
  request.headers.set('X-Api-Key', 'the-key');
  return request;
};

const origin = (): string => `http://127.0.0.1:${servers.origin}`;
const other = (): string => `http://127.0.0.1:${servers.otherPort}`;
const redirect = (base: string, id: string, to: string, status = 302): string =>
  `${base}/redirect/${id}?${new URLSearchParams({ to, status: String(status) })}`;

test('dropped on the way out, the credentials stay dropped when the chain comes back', async () => {
  const client = withAuth(axios.create({ adapter: 'fetch' }));
  const back = `${origin()}/landing/back`;
  const response = await client.get(redirect(origin(), 'a', redirect(other(), 'b', back, 307)), {
    auth: apiKey,
  });
  expect(response.status).toBe(200);
  expect(
    servers.requests.map((request) => [request.path.split('?')[0], request.headers['x-api-key']]),
  ).toEqual([
    ['/redirect/a', 'the-key'],
    ['/redirect/b', undefined],
    ['/landing/back', undefined],
  ]);
  // The final response's config is the call's, as with the http adapter.
  expect(response.config.url).toBe(redirect(origin(), 'a', redirect(other(), 'b', back, 307)));
});

test('several same-origin hops keep them', async () => {
  const client = withAuth(axios.create({ adapter: 'fetch' }));
  await client.get(redirect(origin(), 'a', redirect(origin(), 'b', '/landing/end', 308), 301), {
    auth: apiKey,
  });
  expect(servers.requests.map((request) => request.headers['x-api-key'])).toEqual([
    'the-key',
    'the-key',
    'the-key',
  ]);
});

test('maxRedirects holds: one more hop is the error the http adapter gives', async () => {
  const client = withAuth(axios.create({ adapter: 'fetch' }));
  const error = await rejectionOf(
    client.get(redirect(origin(), 'a', redirect(origin(), 'b', '/landing/end')), {
      auth: apiKey,
      maxRedirects: 1,
    }),
  );
  expect(error).toBeInstanceOf(AxiosError);
  expect((error as AxiosError).code).toBe('ERR_FR_TOO_MANY_REDIRECTS');
  expect(servers.requests).toHaveLength(2);
});

test('maxRedirects: 0 follows nothing: the 302 is the answer, and the other origin sees nothing', async () => {
  // Not left to the adapter: not every axios 1.x fetch adapter maps maxRedirects to 'manual'.
  const client = withAuth(axios.create({ adapter: 'fetch' }));
  const response = await client.get(redirect(origin(), 'a', `${other()}/landing/x`), {
    auth: apiKey,
    maxRedirects: 0,
    validateStatus: null,
  });
  expect(response.status).toBe(302);
  expect(response.history).toEqual([]);
  expect(servers.requests.map((request) => request.path.split('?')[0])).toEqual(['/redirect/a']);
});

test("the caller's own redirect: 'manual' stands: the 302 is the answer", async () => {
  const client = withAuth(axios.create({ adapter: 'fetch' }));
  const response = await client.get(redirect(origin(), 'a', `${other()}/landing/x`), {
    auth: apiKey,
    fetchOptions: { redirect: 'manual' },
    validateStatus: null,
  });
  expect(response.status).toBe(302);
  expect(servers.requests).toHaveLength(1);
});

test("a browser's opaque answer to a manual redirect stops the call, naming the headers", async () => {
  // What a browser's fetch gives for `redirect: 'manual'`: status 0, no Location.
  const opaqueFetch = async (): Promise<Response> => Response.error();
  const client = withAuth(axios.create({ adapter: 'fetch', env: { fetch: opaqueFetch } }));
  const error = await rejectionOf(client.get(`${origin()}/anything`, { auth: apiKey }));
  expect(error).toBeInstanceOf(AuthFlowError);
  expect((error as Error).message).toMatch(
    /^the server answered with a redirect that the browser does not let the client see; the request carried credentials in headers \(X-Api-Key\)/,
  );
  expect((error as Error).message).not.toContain('the-key');
});
