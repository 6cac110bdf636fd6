/**
 * The refresh storm: 1000 concurrent calls that all need a new access token, through the built
 * package's OAuth2Auth, and through axios-auth-refresh set up the way its README says (a request
 * interceptor that sets the Bearer header, `createAuthRefresh(instance, refreshAuthLogic)`).
 *
 * The server (in this process, on 127.0.0.1) is strict like a real authorization server: refresh
 * tokens rotate on every use and a reused one is refused with `invalid_grant`; the resource
 * accepts only the current access token. Printed per client: token requests, calls answered
 * 200, calls failed, refresh tokens refused as reused, and the time until every call settled.
 *
 * Three storms: OAuth2Auth with a token it knows has expired (refreshed before sending);
 * OAuth2Auth with a token only the server knows has expired (every call gets a 401 first); and
 * axios-auth-refresh, which can only do the second.
 *
 * Run alone: `npm run build && node --import tsx bench/tokens.ts`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';

const CALLS = 1000;

/** What the bench uses of the built package. */
interface BuiltTokenAuth {
  withAuth<T extends AxiosInstance>(instance: T): T;
  OAuth2Auth: new (options: Record<string, unknown>) => object;
}

/**
 * The built CommonJS package. Until the index exports OAuth2Auth, it is taken from its module
 * in dist (the same compiled code the index will re-export).
 */
function loadBuilt(): BuiltTokenAuth {
  const load = createRequire(__filename);
  const dist = join(__dirname, '..', 'dist', 'cjs');
  const index = load(join(dist, 'index.js')) as Partial<BuiltTokenAuth>;
  const OAuth2Auth =
    index.OAuth2Auth ??
    (load(join(dist, 'schemes', 'oauth2', 'index.js')) as Pick<BuiltTokenAuth, 'OAuth2Auth'>)
      .OAuth2Auth;
  if (!index.withAuth) throw new Error('dist/cjs/index.js has no withAuth: run npm run build');
  return { withAuth: index.withAuth, OAuth2Auth };
}

/** The strict token endpoint and resource of the storm. */
class StormServer {
  tokenRequests = 0;
  reused = 0;
  #issued = 0;
  #accessToken = '';
  #refreshToken = '';
  readonly #server = http.createServer((req, res) => void this.#handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** A fresh grant: its refresh token, and an access token that is already expired. */
  grant(): string {
    this.tokenRequests = 0;
    this.reused = 0;
    this.#accessToken = '';
    this.#refreshToken = `rt-${++this.#issued}`;
    return this.#refreshToken;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.url === '/token') return this.#token(new URLSearchParams(body), res);
    const ok = req.headers.authorization === `Bearer ${this.#accessToken}` && this.#accessToken;
    res.writeHead(ok ? 200 : 401, {
      'Content-Type': 'application/json',
      ...(ok ? {} : { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
    });
    res.end(ok ? '{"ok":true}' : '{"error":"invalid_token"}');
  }

  #token(form: URLSearchParams, res: http.ServerResponse): void {
    this.tokenRequests += 1;
    if (form.get('refresh_token') !== this.#refreshToken) {
      this.reused += 1;
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"error":"invalid_grant","error_description":"refresh token already used"}');
      return;
    }
    this.#issued += 1;
    this.#accessToken = `at-${this.#issued}`;
    this.#refreshToken = `rt-${this.#issued}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(
      JSON.stringify({
        access_token: this.#accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: this.#refreshToken,
      }),
    );
  }
}

interface StormResult {
  tokenRequests: number;
  ok: number;
  failed: number;
  reused: number;
  ms: number;
  /** Why calls failed: message → count. */
  reasons: Map<string, number>;
}

/** Fire CALLS concurrent GETs and count what came back. */
async function storm(server: StormServer, get: () => Promise<unknown>): Promise<StormResult> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: CALLS }, get));
  const ms = performance.now() - started;
  const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
  const reasons = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') continue;
    const message = String((outcome.reason as Error | undefined)?.message ?? outcome.reason);
    reasons.set(message, (reasons.get(message) ?? 0) + 1);
  }
  const { tokenRequests, reused } = server;
  return { tokenRequests, ok, failed: CALLS - ok, reused, ms, reasons };
}

function ours(
  built: BuiltTokenAuth,
  server: StormServer,
  agent: http.Agent,
  knownExpired: boolean,
) {
  const refreshToken = server.grant();
  const auth = new built.OAuth2Auth({
    tokenUrl: `${server.url}/token`,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    // Known expired: refreshed before sending. Otherwise the client thinks it fresh and only
    // the server's 401 says otherwise.
    token: { accessToken: 'expired', refreshToken, expiresAt: knownExpired ? 0 : undefined },
  });
  const client = built.withAuth(
    axios.create({ baseURL: server.url, httpAgent: agent, auth } as AxiosRequestConfig),
  );
  return storm(server, () => client.get('/resource'));
}

/** axios-auth-refresh as its README sets it up: the token in a variable, an interceptor, a refresh function. */
function theirs(server: StormServer, agent: http.Agent) {
  let refreshToken = server.grant();
  let accessToken = 'expired';
  const client = axios.create({ baseURL: server.url, httpAgent: agent });
  client.interceptors.request.use((request) => {
    request.headers['Authorization'] = `Bearer ${accessToken}`;
    return request;
  });
  const refreshAuthLogic = (failedRequest: { response: { config: AxiosRequestConfig } }) =>
    axios
      .post<{ access_token: string; refresh_token: string }>(
        `${server.url}/token`,
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        { httpAgent: agent, auth: { username: 'bench', password: 'bench-secret' } },
      )
      .then((answer) => {
        accessToken = answer.data.access_token;
        refreshToken = answer.data.refresh_token;
        failedRequest.response.config.headers!['Authorization'] = `Bearer ${accessToken}`;
      });
  createAuthRefresh(client, refreshAuthLogic);
  return storm(server, () => client.get('/resource'));
}

function row(name: string, r: StormResult): string {
  return (
    `${name.padEnd(48)} ${String(r.tokenRequests).padStart(6)} ${String(r.ok).padStart(6)} ` +
    `${String(r.failed).padStart(6)} ${String(r.reused).padStart(7)} ${r.ms.toFixed(0).padStart(8)}`
  );
}

/** The storm, printed as a table: one row per client. */
export async function benchTokens(): Promise<void> {
  const built = loadBuilt();
  const server = await new StormServer().start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  try {
    // One untimed storm each first, so that neither pays for the JIT in its figures.
    await ours(built, server, agent, true);
    await theirs(server, agent);
    const results: [string, StormResult][] = [
      ['axios-auth-flow OAuth2Auth, token known expired', await ours(built, server, agent, true)],
      ['axios-auth-flow OAuth2Auth, server-side expiry', await ours(built, server, agent, false)],
      ['axios-auth-refresh 5 (README setup)', await theirs(server, agent)],
    ];
    console.log(
      `\nRefresh storm: ${CALLS} concurrent calls, refresh tokens rotated, reuse refused`,
    );
    console.log(
      `${'client'.padEnd(48)} ${'token'.padStart(6)} ${'200'.padStart(6)} ${'failed'.padStart(6)} ` +
        `${'reused'.padStart(7)} ${'ms'.padStart(8)}`,
    );
    for (const [name, result] of results) console.log(row(name, result));
    for (const [name, { reasons }] of results) {
      for (const [reason, count] of reasons) console.log(`  ${name}: ${count} × ${reason}`);
    }
  } finally {
    agent.destroy();
    await server.close();
  }
}

if (require.main === module) void benchTokens();
