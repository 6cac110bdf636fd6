/**
 * `npm run demo`: the examples of httpx's "Authentication" page, in TypeScript, run for real.
 *
 * Without arguments it starts the embedded httpbin-like server (__tests__/support/httpbin.ts) on
 * 127.0.0.1 and runs every example against it. With `--url BASE` it runs the examples that a
 * standard httpbin offers (Basic, Digest, NetRC, the header flow) against that server instead.
 * For each call it prints what a user looks at: the status, the history, and the Authorization
 * header that was sent, with the secret part redacted.
 */
import axios, { type AxiosResponse } from 'axios';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Auth,
  AuthRequest,
  BasicAuth,
  DigestAuth,
  NetRCAuth,
  withAuth,
  type AsyncAuthFlow,
  type AuthFlow,
} from '../src/index';
import { startHttpbin, type Httpbin } from '../__tests__/support/httpbin';

// ---- The seed's custom flows, as a user writes them --------------------------------------

/** Sends the token in X-Authentication on every request. */
class HeaderTokenAuth extends Auth {
  constructor(private readonly token: string) {
    super();
  }
  override *authFlow(request: AuthRequest): AuthFlow {
    request.headers.set('X-Authentication', this.token);
    yield request;
  }
}

/** Tries without credentials; on a 401, resends with the token. */
class ResendOn401Auth extends Auth {
  constructor(private readonly token: string) {
    super();
  }
  override *authFlow(request: AuthRequest): AuthFlow {
    const response = yield request;
    if (response.status === 401) {
      request.headers.set('X-Authentication', this.token);
      yield request;
    }
  }
}

/** On a 401, refreshes the access token at /token, then resends (reads the refresh body). */
class RefreshTokenAuth extends Auth {
  override readonly requiresResponseBody = true;
  constructor(
    private accessToken: string,
    private refreshToken: string,
    private readonly refreshUrl: string,
  ) {
    super();
  }
  override *authFlow(request: AuthRequest): AuthFlow {
    request.headers.set('X-Authentication', this.accessToken);
    const response = yield request;
    if (response.status === 401) {
      const refreshResponse = yield this.buildRefreshRequest();
      this.updateTokens(refreshResponse);
      request.headers.set('X-Authentication', this.accessToken);
      yield request;
    }
  }
  buildRefreshRequest() {
    return { method: 'post', url: this.refreshUrl, data: { refresh_token: this.refreshToken } };
  }
  updateTokens(response: AxiosResponse<{ access_token: string; refresh_token: string }>) {
    this.accessToken = response.data.access_token;
    this.refreshToken = response.data.refresh_token;
  }
}

/** Gets its token through I/O guarded by a lock: overrides asyncAuthFlow, as httpx's page shows. */
class LockedTokenAuth extends Auth {
  #token: Promise<string> | undefined;
  constructor(private readonly fetchToken: () => Promise<string>) {
    super();
  }
  override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    // One pending fetch is the lock: concurrent calls await the same promise.
    this.#token ??= this.fetchToken();
    request.headers.set('Authorization', `Token ${await this.#token}`);
    yield request;
  }
}

// ---- Printing ---------------------------------------------------------------------------

/** The Authorization header with its secret part replaced, as a user may show it in a log. */
function redactAuthorization(value: unknown): string {
  if (typeof value !== 'string') return '(none)';
  const [scheme] = value.split(' ', 1);
  if (scheme === 'Basic') {
    const decoded = Buffer.from(value.slice(6), 'base64').toString('utf8');
    return `Basic <${decoded.slice(0, decoded.indexOf(':'))}:***>`;
  }
  if (scheme === 'Digest') {
    return value.replace(/response="[^"]*"/, 'response="***"');
  }
  return `${scheme} ***`;
}

/**
 * A header as an httpbin-like server echoed it back in `data.headers`. Real httpbin Title-Cases
 * the names (`X-Authentication`); the embedded server keeps Node's lower case: either is found.
 */
function echoedHeader(response: AxiosResponse, name: string): string {
  const echoed = (response.data as { headers?: Record<string, unknown> } | undefined)?.headers;
  for (const [key, value] of Object.entries(echoed ?? {})) {
    if (key.toLowerCase() === name.toLowerCase()) return String(value);
  }
  return '(not echoed)';
}

function show(title: string, code: string, response: AxiosResponse): void {
  const history = response.history.map((r) => `<Response [${r.status}]>`).join(', ');
  console.log(`\n# ${title}`);
  console.log(`  ${code}`);
  console.log(`  status:        ${response.status}`);
  console.log(`  history:       [${history}]`);
  console.log(
    `  Authorization: ${redactAuthorization(response.config.headers.get('Authorization'))}`,
  );
  const token = response.config.headers.get('X-Authentication');
  if (typeof token === 'string') console.log(`  X-Authentication: ${token.slice(0, 3)}***`);
}

async function attempt(title: string, run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    const status = axios.isAxiosError(error) ? ` (status ${error.response?.status})` : '';
    console.log(`\n# ${title}\n  FAILED${status}: ${(error as Error).message}`);
    return false;
  }
}

// ---- The examples -----------------------------------------------------------------------

async function main(): Promise<void> {
  const urlFlag = process.argv.indexOf('--url');
  const external = urlFlag >= 0 ? process.argv[urlFlag + 1] : undefined;
  if (urlFlag >= 0 && !external)
    throw new Error('--url needs a base URL, e.g. --url https://httpbin.org');
  const server: Httpbin | undefined = external ? undefined : await startHttpbin();
  const base = (external ?? server!.url).replace(/\/$/, '');
  console.log(`axios-auth-flow demo against ${base}${server ? ' (embedded httpbin)' : ''}`);

  const netrcDir = mkdtempSync(join(tmpdir(), 'axios-auth-flow-demo-'));
  const netrcFile = join(netrcDir, '.netrc');
  writeFileSync(
    netrcFile,
    `machine ${new URL(base).hostname}\nlogin example-username\npassword example-password\n` +
      'machine python-httpx.org\nlogin other-username\npassword other-password\n',
    { mode: 0o600 },
  );

  const results: boolean[] = [];
  const run = async (title: string, fn: () => Promise<void>) =>
    results.push(await attempt(title, fn));

  await run('Basic, per request', async () => {
    const client = withAuth(axios.create());
    const auth = new BasicAuth({ username: 'username', password: 'secret' });
    const r = await client.get(`${base}/basic-auth/username/secret`, { auth });
    show(
      'Basic, per request',
      "client.get(url, { auth: new BasicAuth({ username: 'username', password: 'secret' }) })",
      r,
    );
  });

  await run('Basic, on the client', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('finley', 'secret') }));
    const r = await client.get(`${base}/basic-auth/finley/secret`);
    show(
      'Basic, on the client',
      "withAuth(axios.create({ auth: new BasicAuth('finley', 'secret') }))",
      r,
    );
  });

  await run('Basic, as a [username, password] pair', async () => {
    const client = withAuth(axios.create());
    const r = await client.get(`${base}/basic-auth/finley/secret`, { auth: ['finley', 'secret'] });
    show(
      'Basic, as a [username, password] pair',
      "client.get(url, { auth: ['finley', 'secret'] })",
      r,
    );
  });

  await run('Digest', async () => {
    const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
    const r = await client.get(`${base}/digest-auth/auth/olivia/secret`);
    show('Digest', "withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }))", r);
    const again = await client.get(`${base}/digest-auth/auth/olivia/secret`);
    show('Digest, second call (challenge reused, no 401)', 'client.get(url)', again);
  });

  await run('NetRC', async () => {
    const client = withAuth(axios.create({ auth: new NetRCAuth({ file: netrcFile }) }));
    const r = await client.get(`${base}/basic-auth/example-username/example-password`);
    show(
      'NetRC, explicit file',
      'withAuth(axios.create({ auth: new NetRCAuth({ file: netrcFile }) }))',
      r,
    );
    console.log(`  netrcFile:     ${netrcFile} (written by this demo, removed at the end)`);
  });

  await run('A function', async () => {
    const client = withAuth(axios.create());
    const r = await client.get(`${base}/anything`, {
      auth: (request: AuthRequest) => {
        request.headers.set('X-Authentication', 'token-from-a-function');
        return request;
      },
    });
    show(
      'A function',
      'client.get(url, { auth: (request) => { request.headers.set(...); return request; } })',
      r,
    );
    console.log(`  server saw X-Authentication: ${echoedHeader(r, 'X-Authentication')}`);
  });

  await run('Custom: X-Authentication header', async () => {
    const client = withAuth(axios.create({ auth: new HeaderTokenAuth('my-token') }));
    const r = await client.get(`${base}/anything`);
    show(
      'Custom Auth: X-Authentication header',
      "withAuth(axios.create({ auth: new MyCustomAuth('my-token') }))",
      r,
    );
    console.log(`  server saw X-Authentication: ${echoedHeader(r, 'X-Authentication')}`);
  });

  if (server) {
    await run('Custom: resend on 401', async () => {
      const client = withAuth(
        axios.create({ auth: new ResendOn401Auth(server.tokens.accessToken) }),
      );
      const r = await client.get(`${base}/protected`);
      show(
        'Custom Auth: resend with the token on a 401',
        'class MyCustomAuth: response = yield request; if 401, set header, yield request',
        r,
      );
    });

    await run('Custom: refresh token (requiresResponseBody)', async () => {
      const auth = new RefreshTokenAuth(
        'expired-token',
        server.tokens.refreshToken,
        `${base}/token`,
      );
      const client = withAuth(axios.create({ auth }));
      const r = await client.get(`${base}/protected`);
      show(
        'Custom Auth: refresh the token on a 401 (requiresResponseBody)',
        'yield request; yield buildRefreshRequest(); yield request',
        r,
      );
      console.log(`  history[1] (the refresh) data: ${JSON.stringify(r.history[1]?.data)}`);
    });

    await run('Custom: asyncAuthFlow with a lock', async () => {
      let fetches = 0;
      const auth = new LockedTokenAuth(async () => {
        fetches += 1;
        return 'token-from-a-slow-store';
      });
      const client = withAuth(axios.create({ auth }));
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => client.get(`${base}/anything`)),
      );
      show(
        'Custom Auth: asyncAuthFlow with a lock (20 concurrent calls)',
        'override async *asyncAuthFlow(request)',
        responses[0]!,
      );
      console.log(`  token fetched ${fetches} time(s) for ${responses.length} calls`);
    });
  } else {
    console.log(
      '\n# Custom Auth flows with /protected and /token: need the embedded server (run without --url)',
    );
  }

  rmSync(netrcDir, { recursive: true, force: true });
  await server?.close();
  const failed = results.filter((ok) => !ok).length;
  console.log(`\n${results.length - failed} examples ran, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
