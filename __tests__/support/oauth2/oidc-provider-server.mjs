/**
 * A real OAuth 2.0 authorization server for the token auth tests: oidc-provider (a certified
 * OpenID Connect provider, ESM only, hence this child process), on 127.0.0.1 and an ephemeral
 * port, printed on stdout as one JSON line: {"port": 12345}.
 *
 * Beside the provider, on the same port:
 * - `/resource/...`: a resource server that checks each Bearer token with the provider's own
 *   introspection endpoint (RFC 7662), over HTTP, as a separate resource server would:
 *   200 for an active token, 401 `error="invalid_token"` otherwise (RFC 6750 §3.1), and 403
 *   `error="insufficient_scope"` under `/resource/admin` without the `admin` scope.
 * - `/test/refresh-token` (POST, `client_id`): a refresh token for a user, made with the
 *   provider's own Grant and RefreshToken models. The provider issues refresh tokens only from
 *   an authorization code with `offline_access`, which needs a browser login and consent; the
 *   token made here is the same kind of record, and the provider's refresh_token grant checks,
 *   consumes and rotates it exactly as it would one from a login.
 * - `/test/advance` (POST, `seconds`): moves this process's clock forward, so that tokens expire
 *   on the server without the tests sleeping.
 * - `/test/stats` (GET): the token requests the provider received and what came of them.
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { URL, URLSearchParams } from 'node:url';
import Provider from 'oidc-provider';

const realNow = Date.now;
let offset = 0;
// oidc-provider reads the time through Date.now (epochTime, its memory adapter's expiry).
Date.now = () => realNow() + offset;

const stats = { tokenRequests: 0, grants: {}, errors: [] };

const CLIENTS = [
  {
    // RFC 6749 §2.3.1: ':', '+', '%' and spaces in the id and secret must survive
    // client_secret_basic. (Non-ASCII is not VSCHAR, Appendix A.1-A.2: oidc-provider refuses it.)
    client_id: 'basic:client 1',
    client_secret: 's3cret:with+plus and space/100%',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'post-client',
    client_secret: 'post-secret',
    token_endpoint_auth_method: 'client_secret_post',
  },
].map((client) => ({
  ...client,
  grant_types: ['client_credentials', 'refresh_token', 'authorization_code'],
  response_types: ['code'],
  redirect_uris: ['https://client.example/callback'],
  scope: 'openid offline_access read write',
}));

const RESOURCE_SERVER = { client_id: 'resource-server', client_secret: 'rs-secret' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    ...CLIENTS,
    { ...RESOURCE_SERVER, grant_types: [], response_types: [], redirect_uris: [] },
  ],
  scopes: ['openid', 'offline_access', 'read', 'write', 'admin'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  rotateRefreshToken: true,
  ttl: {
    AccessToken: 60,
    ClientCredentials: 60,
    RefreshToken: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
  },
  findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
});
provider.on('grant.success', (ctx) => {
  const grant = ctx.oidc.params.grant_type;
  stats.grants[grant] = (stats.grants[grant] ?? 0) + 1;
});
provider.on('grant.error', (ctx, error) => {
  stats.errors.push({ error: error.error, description: error.error_description });
});
const providerCallback = provider.callback();

server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/test/'))
    return void admin(url, req, res).catch((e) => fail(res, e));
  if (url.pathname.startsWith('/resource')) {
    return void resource(url, req, res).catch((e) => fail(res, e));
  }
  if (req.method === 'POST' && url.pathname === '/token') stats.tokenRequests += 1;
  providerCallback(req, res);
});

async function admin(url, req, res) {
  if (url.pathname === '/test/advance') offset += Number(url.searchParams.get('seconds')) * 1000;
  else if (url.pathname === '/test/refresh-token') {
    const refreshToken = await mintRefreshToken(url.searchParams.get('client_id'));
    return json(res, 200, { refresh_token: refreshToken });
  }
  json(res, 200, stats);
}

async function mintRefreshToken(clientId) {
  const client = await provider.Client.find(clientId);
  const grant = new provider.Grant({ accountId: 'user-1', clientId });
  grant.addOIDCScope('openid offline_access');
  const grantId = await grant.save();
  const token = new provider.RefreshToken({
    accountId: 'user-1',
    client,
    grantId,
    scope: 'openid offline_access',
    gty: 'authorization_code',
    authTime: Math.floor(Date.now() / 1000),
  });
  return token.save();
}

async function resource(url, req, res) {
  const token = /^Bearer ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '')?.[1];
  const info = token ? await introspect(token) : { active: false };
  if (!info.active) {
    return json(
      res,
      401,
      { error: 'invalid_token' },
      {
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      },
    );
  }
  const scopes = (info.scope ?? '').split(' ');
  if (url.pathname.startsWith('/resource/admin') && !scopes.includes('admin')) {
    return json(
      res,
      403,
      { error: 'insufficient_scope' },
      {
        'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="admin"',
      },
    );
  }
  json(res, 200, { client_id: info.client_id, sub: info.sub, scope: info.scope });
}

/** RFC 7662 introspection at the provider, over HTTP, with the resource server's credentials. */
async function introspect(token) {
  const basic = Buffer.from(`${RESOURCE_SERVER.client_id}:${RESOURCE_SERVER.client_secret}`);
  const answer = await globalThis.fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic.toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  return answer.json();
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res, error) {
  json(res, 500, { error: 'test_server_error', description: String(error?.message ?? error) });
}

process.stdout.write(`${JSON.stringify({ port })}\n`);
// The parent test ends this process; it also ends when the parent goes away.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
