/**
 * Faults on the wire, against the scripted loopback server and axios's http adapter: a token
 * endpoint that answers 500 or HTML, is slow, or drops the connection; a call that times out
 * while it sends the token request (a waiting call takes the refresh over); a resource that
 * answers 401 with or without `invalid_token`, or 403 `insufficient_scope`.
 */
import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import { withAuth } from '../../../src/index';
import { OAuth2Error } from '../../../src/errors';
import { OAuth2Auth, type OAuth2AuthOptions } from '../../../src/schemes/oauth2/index';
import { gate, useScriptedServer, type ScriptedServer } from '../../support/oauth2/scripted-server';

const server = useScriptedServer();

function clientOf(srv: ScriptedServer, options: Partial<OAuth2AuthOptions> = {}) {
  const auth = new OAuth2Auth({
    tokenUrl: `${srv.url}/token`,
    clientId: 'app',
    clientSecret: 'fault-secret',
    ...options,
  });
  return { auth, client: withAuth(axios.create({ baseURL: srv.url, auth })) };
}

/** The token endpoint answers (as the strict server does) only once the gate is opened. */
function holdTokenAnswers(srv: ScriptedServer): { open: () => void } {
  const hold = gate();
  srv.token = async (request) => {
    await hold.promise;
    return srv.issue(request);
  };
  return hold;
}

/** Resolves when the server has received `count` token requests. */
function tokenRequestsReach(srv: ScriptedServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    if (srv.tokenRequests.length >= count) return resolve();
    srv.onTokenRequest = () => {
      if (srv.tokenRequests.length >= count) resolve();
    };
  });
}

describe('the token endpoint', () => {
  test('500 with a §5.2 body: OAuth2Error with its code, no resource request', async () => {
    const srv = server();
    srv.token = () => ({
      status: 500,
      body: { error: 'server_error', error_description: 'db down' },
    });
    const { client } = clientOf(srv);
    const error = (await client.get('/r').catch((e: unknown) => e)) as OAuth2Error;
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error.message).toBe(`${srv.url}/token answered 500 server_error: db down`);
    expect(srv.resourceRequests).toHaveLength(0);
  });

  test('an error code that echoes the secret is scrubbed from the message', async () => {
    const srv = server();
    srv.token = () => ({ status: 400, body: { error: 'bad fault-secret\nx' } });
    const { client } = clientOf(srv);
    const error = (await client.get('/r').catch((e: unknown) => e)) as OAuth2Error;
    expect(error.message).toBe(`${srv.url}/token answered 400 bad [redacted] x`);
  });

  test('the token exchange kept in history prints no client credentials, over the real http adapter', async () => {
    const srv = server();
    const { client } = clientOf(srv);
    const response = await client.get('/r');
    expect(response.status).toBe(200);
    const tokenExchange = response.history[0]!;
    expect(tokenExchange.request).toBeUndefined();
    const basic = Buffer.from('app:fault-secret').toString('base64');
    const printed = `${inspect(response.history, { depth: 8 })} ${JSON.stringify(response.history)}`;
    expect(printed).not.toContain(basic);
    expect(printed).not.toContain('fault-secret');
  });

  test('an error answer that echoes the secrets is redacted in the printed error and its history', async () => {
    const srv = server();
    srv.token = () => ({
      status: 400,
      body: {
        error: 'invalid_client',
        error_description: 'client fault-secret is unknown',
        debug: { seen: ['fault-secret'] },
      },
    });
    const { client } = clientOf(srv);
    const error = (await client.get('/r').catch((e: unknown) => e)) as OAuth2Error;
    expect(error.errorDescription).toBe('client [redacted] is unknown');
    const printed = [
      inspect(error, { depth: 8 }),
      JSON.stringify(error),
      String(error.stack),
      JSON.stringify(error.history[0]?.data),
    ];
    for (const text of printed) expect(text).not.toContain('fault-secret');
  });

  test("a dropped token request: the sender's error does not print the client's Basic secret", async () => {
    const srv = server();
    srv.token = () => 'drop' as const;
    const { client } = clientOf(srv);
    const error = (await client.get('/r').catch((e: unknown) => e)) as AxiosError;
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.config?.url).toBe('/r'); // the call's own config, not the token request's
    const basic = Buffer.from('app:fault-secret').toString('base64');
    const printed = `${inspect(error, { depth: 8 })} ${JSON.stringify(error)}`;
    expect(printed).not.toContain(basic);
    expect(printed).not.toContain('fault-secret');
  });

  test('an HTML page with 200 is not a token', async () => {
    const srv = server();
    srv.token = () => ({ status: 200, body: '<!doctype html><title>Sign in</title>' });
    const { auth, client } = clientOf(srv);
    await expect(client.get('/r')).rejects.toThrow(
      `${srv.url}/token answered 200 with a body that is not a JSON object; no token was stored`,
    );
    expect(auth.token).toBeUndefined();
  });

  test('a dropped connection: the sender gets the network error, the waiters one OAuth2Error, the next call tries again', async () => {
    const srv = server();
    const hold = gate();
    srv.token = async () => {
      await hold.promise;
      return 'drop' as const;
    };
    const { client } = clientOf(srv);
    const sender = client.get('/r').catch((e: unknown) => e);
    await tokenRequestsReach(srv, 1);
    const waiters = Array.from({ length: 5 }, () => client.get('/r').catch((e: unknown) => e));
    hold.open();
    expect(axios.isAxiosError(await sender)).toBe(true);
    const errors = new Set(await Promise.all(waiters));
    expect(errors.size).toBe(1);
    const [error] = [...errors] as OAuth2Error[];
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error!.message).toMatch(/^the token request to .*\/token got no answer/);
    srv.token = (request) => srv.issue(request);
    expect((await client.get('/r')).status).toBe(200);
    expect(srv.tokenRequests).toHaveLength(2);
  });

  test('slow: a waiting call that times out stops waiting; the refresh still serves the others', async () => {
    const srv = server();
    const hold = holdTokenAnswers(srv);
    const { client } = clientOf(srv);
    const sender = client.get('/r');
    await tokenRequestsReach(srv, 1);
    const impatient = client.get('/r', { timeout: 30 }).catch((e: unknown) => e);
    const patient = client.get('/r');
    const timedOut = (await impatient) as AxiosError;
    expect(timedOut.code).toBe('ECONNABORTED');
    hold.open();
    expect([(await sender).status, (await patient).status]).toEqual([200, 200]);
    expect(srv.tokenRequests).toHaveLength(1);
  });

  test('the sender times out before the answer: it rejects on time, and its token request still serves the others', async () => {
    const srv = server();
    const hold = holdTokenAnswers(srv);
    const { client } = clientOf(srv);
    const sender = client.get('/r', { timeout: 50 }).catch((e: unknown) => e);
    await tokenRequestsReach(srv, 1);
    const waiters = [client.get('/r'), client.get('/r')];
    // The token endpoint has not answered yet: the sender's own timeout ends the sender.
    expect(((await sender) as AxiosError).code).toBe('ECONNABORTED');
    hold.open();
    expect((await Promise.all(waiters)).map((r) => r.status)).toEqual([200, 200]);
    expect(srv.tokenRequests).toHaveLength(1);
  });

  test('a token request that never answers ends at the instance timeout; a waiting call then takes the refresh over', async () => {
    const srv = server();
    srv.token = async (request) => {
      if (srv.tokenRequests.length === 1) await new Promise(() => undefined); // never answers
      return srv.issue(request);
    };
    const auth = new OAuth2Auth({
      tokenUrl: `${srv.url}/token`,
      clientId: 'app',
      clientSecret: 'fault-secret',
    });
    const client = withAuth(axios.create({ baseURL: srv.url, auth, timeout: 300 }));
    const sender = client.get('/r', { timeout: 50 }).catch((e: unknown) => e);
    await tokenRequestsReach(srv, 1);
    const waiter = client.get('/r', { timeout: 10_000 });
    expect(((await sender) as AxiosError).code).toBe('ECONNABORTED');
    expect((await waiter).status).toBe(200);
    expect(srv.tokenRequests).toHaveLength(2);
  });

  test('with rotated refresh tokens, a sender that times out costs no second refresh and loses no grant', async () => {
    const srv = server();
    const hold = holdTokenAnswers(srv);
    const first = srv.mint(); // a login done earlier: its access token has expired
    const { auth, client } = clientOf(srv, {
      token: { accessToken: first.accessToken, refreshToken: first.refreshToken, expiresAt: 0 },
    });
    const sender = client.get('/r', { timeout: 50 }).catch((e: unknown) => e);
    await tokenRequestsReach(srv, 1);
    const waiter = client.get('/r');
    expect(((await sender) as AxiosError).code).toBe('ECONNABORTED');
    hold.open();
    expect((await waiter).status).toBe(200);
    expect((await client.get('/r')).status).toBe(200);
    expect(srv.tokenRequests).toHaveLength(1);
    expect(srv.reusedRefreshTokens).toEqual([]);
    expect(auth.token?.refreshToken).toBe('rt-2'); // the rotated one
  });
});

describe('the resource', () => {
  test.each([
    [
      '401 with error="invalid_token" refreshes once',
      401,
      'Bearer realm="api", error="invalid_token"',
      1,
    ],
    ['401 without an error code refreshes once', 401, 'Bearer realm="api"', 1],
    [
      '403 insufficient_scope does not refresh',
      403,
      'Bearer realm="api", error="insufficient_scope"',
      0,
    ],
  ])('%s', async (_, status, challenge, refreshes) => {
    const srv = server();
    const { client } = clientOf(srv, { token: srv.mint() });
    let first = true;
    srv.resource = (request) => {
      if (!first) return srv.check(request);
      first = false;
      return { status, headers: { 'WWW-Authenticate': challenge }, body: {} };
    };
    const response = await client.get('/r', { validateStatus: null });
    expect(srv.tokenRequests).toHaveLength(refreshes);
    expect(response.status).toBe(refreshes ? 200 : status);
    expect(response.history.map((r) => r.status)).toEqual(refreshes ? [status, 200] : []);
  });
});
