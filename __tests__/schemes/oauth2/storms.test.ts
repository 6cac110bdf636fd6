/**
 * The numbered storms of issue 9, against the scripted loopback server: many calls need a token
 * at once, and exactly one token request serves them all, whether it succeeds, fails, rotates
 * the refresh token, or the token endpoint refuses the client forever.
 */
import http from 'node:http';
import axios from 'axios';
import { withAuth } from '../../../src/index';
import { OAuth2Error } from '../../../src/errors';
import { OAuth2Auth, type OAuth2AuthOptions } from '../../../src/schemes/oauth2/index';
import { useScriptedServer, type ScriptedServer } from '../../support/oauth2/scripted-server';

const server = useScriptedServer();
const agents: http.Agent[] = [];

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

/** A client on the scripted server; a bounded keep-alive pool, as an app would have. */
function clientOf(srv: ScriptedServer, auth: OAuth2Auth) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  agents.push(agent);
  return withAuth(axios.create({ baseURL: srv.url, auth, httpAgent: agent }));
}

let clock = 1_700_000_000_000;
const now = (): number => clock;

function authOf(srv: ScriptedServer, options: Partial<OAuth2AuthOptions> = {}): OAuth2Auth {
  return new OAuth2Auth({
    tokenUrl: `${srv.url}/token`,
    clientId: 'storm-client',
    clientSecret: 'storm-secret',
    now,
    ...options,
  });
}

/** Every call's outcome: its status, or the error it rejected with. */
async function settle(calls: Promise<{ status: number }>[]): Promise<unknown[]> {
  const outcomes = await Promise.allSettled(calls);
  return outcomes.map((o) => (o.status === 'fulfilled' ? o.value.status : o.reason));
}

describe('storm 1: 1000 concurrent calls with an expired token', () => {
  test('send 1 token request and get 1000 × 200', async () => {
    const srv = server();
    const { refreshToken } = srv.mint();
    const auth = authOf(srv, {
      token: { accessToken: 'expired', refreshToken, expiresAt: clock - 1 },
    });
    const client = clientOf(srv, auth);
    const outcomes = await settle(Array.from({ length: 1000 }, (_, i) => client.get(`/r/${i}`)));
    expect(outcomes).toEqual(Array(1000).fill(200));
    expect(srv.tokenRequests).toHaveLength(1);
    expect(srv.tokenRequests[0]!.form.get('grant_type')).toBe('refresh_token');
    expect(srv.resourceRequests).toHaveLength(1000);
    expect(new Set(srv.resourceRequests.map((r) => r.authorization))).toEqual(
      new Set([`Bearer ${auth.token!.accessToken}`]),
    );
    expect(srv.reusedRefreshTokens).toEqual([]);
  });
});

describe('storm 2: the same with the token endpoint failing', () => {
  test('1 token request, 1000 rejections with one OAuth2Error, then a later call succeeds', async () => {
    const srv = server();
    const { refreshToken } = srv.mint();
    const stale = { accessToken: 'expired', refreshToken, expiresAt: clock - 1 };
    const auth = authOf(srv, { token: stale });
    const client = clientOf(srv, auth);
    srv.token = () => ({ status: 503, body: '<html><body>Service Unavailable</body></html>' });

    const outcomes = await settle(Array.from({ length: 1000 }, () => client.get('/r')));
    expect(srv.tokenRequests).toHaveLength(1);
    expect(srv.resourceRequests).toHaveLength(0);
    const errors = new Set(outcomes);
    expect(errors.size).toBe(1);
    const [error] = [...errors] as OAuth2Error[];
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error!.status).toBe(503);
    expect(error!.message).toBe(`${srv.url}/token answered 503 (no OAuth 2.0 error code)`);
    expect(error!.history.map((r) => r.status)).toEqual([503]);
    // The last good token stays; the failure was not stored as a token.
    expect(auth.token).toBe(stale);

    srv.token = (request) => srv.issue(request);
    const later = await client.get('/r');
    expect(later.status).toBe(200);
    expect(srv.tokenRequests).toHaveLength(2);
    expect(srv.tokenRequests[1]!.form.get('refresh_token')).toBe(refreshToken);
  });
});

describe('storm 3: a rotating refresh token under 50 concurrent calls × 20 rounds', () => {
  test('one refresh per round, every call answered 200, no refresh token ever reused', async () => {
    const srv = server();
    const first = srv.mint();
    const auth = authOf(srv, { token: { ...first, expiresAt: clock + 3600_000 } });
    const client = clientOf(srv, auth);
    for (let round = 0; round < 20; round++) {
      // Even rounds: the client sees the token expire (proactive refresh). Odd rounds: only the
      // server does (revoked, clock skew): every call gets a 401 first (reactive refresh).
      if (round % 2 === 0) clock += 3600_000;
      else srv.validAccessTokens.clear();
      const outcomes = await settle(Array.from({ length: 50 }, () => client.post('/r', { round })));
      expect(outcomes).toEqual(Array(50).fill(200));
      expect(srv.tokenRequests).toHaveLength(round + 1);
    }
    expect(srv.reusedRefreshTokens).toEqual([]);
    expect(new Set(srv.tokenRequests.map((r) => r.form.get('refresh_token'))).size).toBe(20);
    // The retried bodies are the bytes first sent, serialised once.
    const bodies = new Set(srv.resourceRequests.map((r) => r.body));
    expect(bodies).toEqual(new Set(Array.from({ length: 20 }, (_, round) => `{"round":${round}}`)));
  });
});

describe('storm 4: a token endpoint that answers 401 forever', () => {
  test('one token request for 100 concurrent calls, one per later call, never a loop', async () => {
    const srv = server();
    srv.token = () => ({
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="token"' },
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
    const client = clientOf(srv, authOf(srv));
    const outcomes = await settle(Array.from({ length: 100 }, () => client.get('/r')));
    expect(new Set(outcomes).size).toBe(1);
    const error = outcomes[0] as OAuth2Error;
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error.error).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(srv.tokenRequests).toHaveLength(1);

    for (let i = 0; i < 3; i++) await expect(client.get('/r')).rejects.toBeInstanceOf(OAuth2Error);
    expect(srv.tokenRequests).toHaveLength(4);
    expect(srv.resourceRequests).toHaveLength(0);
    // The token request never carried the OAuth2Auth's own Bearer: client credentials only.
    for (const request of srv.tokenRequests) {
      expect(request.headers.authorization).toMatch(/^Basic /);
    }
  });

  test('a resource that answers 401 forever costs one refresh and one retry per call', async () => {
    const srv = server();
    srv.resource = () => ({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const auth = authOf(srv, { token: { accessToken: 'valid-but-refused' } });
    const client = clientOf(srv, auth);
    const error = await client.get('/r').catch((e: unknown) => e);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401);
    const response = axios.isAxiosError(error) ? error.response! : undefined;
    expect(response?.history.map((r) => r.status)).toEqual([401, 200]);
    expect(srv.tokenRequests).toHaveLength(1);
    expect(srv.resourceRequests).toHaveLength(2);
  });
});
