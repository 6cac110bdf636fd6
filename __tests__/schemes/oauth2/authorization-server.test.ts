/**
 * OAuth2Auth against a real authorization server: oidc-provider in a child process, with a
 * resource server that checks every token through the provider's introspection endpoint.
 * Client credentials with client_secret_basic and _post, refresh tokens rotated on every use
 * (the provider revokes the whole grant when a used one comes back), tokens that expire on the
 * server, 403 insufficient_scope, and a client the provider refuses.
 */
import http from 'node:http';
import { inspect } from 'node:util';
import axios from 'axios';
import { withAuth } from '../../../src/index';
import { OAuth2Error } from '../../../src/errors';
import {
  OAuth2Auth,
  type OAuth2AuthOptions,
  type OAuth2Token,
} from '../../../src/schemes/oauth2/index';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../support/oauth2/authorization-server';

const BASIC = { clientId: 'basic:client 1', clientSecret: 's3cret:with+plus and space/100%' };
const POST = { clientId: 'post-client', clientSecret: 'post-secret' };

let as: AuthorizationServer;
const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });

beforeAll(async () => {
  as = await startAuthorizationServer();
});

afterAll(async () => {
  agent.destroy();
  await as?.stop();
});

let clock = Date.now();
const now = (): number => clock;

function clientOf(options: Partial<OAuth2AuthOptions>) {
  const auth = new OAuth2Auth({ tokenUrl: '/token', ...BASIC, now, ...options });
  // A relative tokenUrl: the token request takes the instance's baseURL like any request.
  const client = withAuth(axios.create({ baseURL: as.url, auth, httpAgent: agent }));
  return { auth, client };
}

async function grants(): Promise<Record<string, number>> {
  return (await as.stats()).grants;
}

describe('client credentials (RFC 6749 §4.4)', () => {
  test('client_secret_basic with ":", "+", "%" and spaces in id and secret; one token for 20 calls', async () => {
    const before = (await grants())['client_credentials'] ?? 0;
    const { auth, client } = clientOf({ scope: ['read', 'write'] });
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.get('/resource/x')));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers[0]!.data).toEqual({ client_id: BASIC.clientId, scope: 'read write' });
    expect((await grants())['client_credentials']).toBe(before + 1);
    expect(auth.token?.scope).toBe('read write');
    // The token response is in the first call's history, its tokens redacted.
    const first = answers.find((r) => r.history.length === 1)!;
    expect(first.history[0]!.data).toMatchObject({
      access_token: '[redacted]',
      token_type: 'Bearer',
    });
  });

  test('client_secret_post', async () => {
    const { client } = clientOf({ ...POST, clientAuthentication: 'post' });
    const answer = await client.get('/resource/x');
    expect(answer.data).toMatchObject({ client_id: 'post-client' });
  });

  test('a wrong secret: OAuth2Error invalid_client, the secret in neither message nor printout', async () => {
    const { client } = clientOf({ clientSecret: 'wrong-secret-value' });
    const error = (await client.get('/resource/x').catch((e: unknown) => e)) as OAuth2Error;
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error.error).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.history).toHaveLength(1);
    for (const text of [
      error.message,
      inspect(error),
      JSON.stringify(error),
      String(error.stack),
    ]) {
      expect(text).not.toContain('wrong-secret-value');
    }
  });

  test('a token the server expired: one refresh, one retry, the 401 in history', async () => {
    const { client } = clientOf({});
    await client.get('/resource/x');
    await as.advance(120);
    const answer = await client.get('/resource/x');
    expect(answer.status).toBe(200);
    expect(answer.history.map((r) => r.status)).toEqual([401, 200]);
  });

  test('403 insufficient_scope is answered as is: no token request', async () => {
    const { client } = clientOf({ scope: 'read' });
    await client.get('/resource/x');
    const before = await grants();
    const error = await client.get('/resource/admin').catch((e: unknown) => e);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(403);
    expect(axios.isAxiosError(error) && error.response?.history).toEqual([]);
    expect(await grants()).toEqual(before);
  });
});

describe('refresh tokens (RFC 6749 §6), rotated on every use', () => {
  test('25 concurrent calls × 20 rounds: one refresh per round, never refused', async () => {
    const refreshToken = await as.refreshToken(POST.clientId);
    const saved: OAuth2Token[] = [];
    const { client } = clientOf({
      ...POST,
      clientAuthentication: 'post',
      store: {
        get: async () => ({
          accessToken: 'from-an-earlier-run',
          refreshToken,
          expiresAt: clock - 1,
        }),
        set: async (token) => void saved.push(token),
      },
    });
    const before = (await grants())['refresh_token'] ?? 0;
    const errorsBefore = (await as.stats()).errors.length;
    for (let round = 0; round < 20; round++) {
      // Odd rounds: the client's clock passes the expiry too (proactive refresh); even rounds
      // (after the first): only the server's does (reactive refresh after 401 invalid_token).
      if (round % 2 === 1) clock += 120_000;
      if (round > 0) await as.advance(120);
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => client.post('/resource/x', { round, i })),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(25).fill(200));
      expect(saved).toHaveLength(round + 1);
    }
    expect((await grants())['refresh_token']).toBe(before + 20);
    expect((await as.stats()).errors.slice(errorsBefore)).toEqual([]);
    // Every answer rotated the refresh token, and every new one was saved.
    expect(new Set(saved.map((t) => t.refreshToken)).size).toBe(20);
    expect(saved).not.toContainEqual(expect.objectContaining({ refreshToken }));
  });

  test('the server is strict: a refresh token used twice is refused, and the grant revoked', async () => {
    const refreshToken = await as.refreshToken(POST.clientId);
    const token = { accessToken: 'old', refreshToken, expiresAt: clock - 1 };
    const options = { ...POST, clientAuthentication: 'post' as const, token };
    await clientOf(options).client.get('/resource/x');
    const error = (await clientOf(options)
      .client.get('/resource/x')
      .catch((e: unknown) => e)) as OAuth2Error;
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error.error).toBe('invalid_grant');
    expect(error.message).not.toContain(refreshToken);
  });
});
