/**
 * What a call leaves behind for the caller and for the flow: the config on responses and errors
 * keeps the caller's choices (an `auth: null` opt-out survives a retry with `error.config`),
 * every response of a withAuth instance has a history, the adapter's own header writes do not
 * leak into the flow's request, and an intermediate body that a transform cannot parse does not
 * end a flow that never read it.
 */
import axios, { type AxiosError } from 'axios';
import { Auth, AuthRequest, BasicAuth, withAuth, type AuthFlow } from '../../src/index';
import { json, type Route } from '../support/httpbin';
import { rejectionOf, useHttpbin } from '../support/helpers';

/** 401 with an HTML page, as Apache and most servers answer, until the retry header is set. */
const htmlChallenge: Route = (request, response) => {
  if (!request.path.startsWith('/html-401')) return false;
  if (request.headers['x-retry'] === 'yes') return json(response, 200, { ok: true });
  response.writeHead(401, { 'Content-Type': 'text/html' });
  response.end('<html><body>401 Authorization Required</body></html>');
  return true;
};

const server = useHttpbin([htmlChallenge]);

test('auth: null stays on error.config, so a retry with it sends no client credentials', async () => {
  const client = withAuth(axios.create({ auth: new BasicAuth('client', 'secret') }));
  const error = (await rejectionOf(
    client.get(`${server().url}/status/503`, { auth: null }),
  )) as AxiosError;
  expect(error.config?.auth).toBeNull();

  await rejectionOf(client.request(error.config!));

  expect(server().requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
});

test('a rejected call without auth still has an empty history on its response', async () => {
  const client = withAuth(axios.create());
  const error = (await rejectionOf(client.get(`${server().url}/status/404`))) as AxiosError;
  expect(error.response?.status).toBe(404);
  expect(error.response?.history).toEqual([]);
});

test("the adapter's Content-Length does not leak into the flow's headers or a new request", async () => {
  const seenByFlow: unknown[] = [];
  class TokenThenResend extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      yield request;
      seenByFlow.push(request.headers.get('Content-Length'));
      // A new request built from the call's config, with a shorter body of its own.
      yield { ...request.config, url: `${server().url}/anything/token`, data: 'x=1' };
    }
  }
  const client = withAuth(axios.create({ timeout: 5000 }));

  const response = await client.post(`${server().url}/anything/upload`, 'a'.repeat(50), {
    auth: new TokenThenResend(),
    headers: { 'Content-Type': 'text/plain' },
  });

  expect(response.status).toBe(200);
  expect(seenByFlow).toEqual([undefined]);
  const [upload, token] = server().requests;
  expect(upload?.headers['content-length']).toBe('50');
  expect(token?.headers['content-length']).toBe('3');
  expect(token?.body.toString()).toBe('x=1');
});

test('an intermediate HTML 401 that a strict JSON transform cannot parse does not end the flow', async () => {
  class RetryWithHeader extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 401) {
        request.headers.set('X-Retry', 'yes');
        yield request;
      }
    }
  }
  const client = withAuth(
    axios.create({
      responseType: 'json',
      transitional: {
        silentJSONParsing: false,
        forcedJSONParsing: true,
        clarifyTimeoutError: false,
      },
    }),
  );

  const response = await client.get(`${server().url}/html-401`, { auth: new RetryWithHeader() });

  expect(response.status).toBe(200);
  expect(response.data).toEqual({ ok: true });
  expect(response.history).toHaveLength(1);
  expect(response.history[0]?.status).toBe(401);
  expect(String(response.history[0]?.data)).toContain('401 Authorization Required');
  expect(server().requests).toHaveLength(2);
});
