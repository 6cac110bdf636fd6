/**
 * A scripted OAuth 2.0 token endpoint and resource server on 127.0.0.1, for the cases a real
 * authorization server cannot be made to produce on demand: a token endpoint that answers 500,
 * HTML or 401, that is slow (held until the test releases it) or drops the connection; a resource
 * that answers 401 with or without `error="invalid_token"`, or 403 `insufficient_scope`.
 *
 * By default it behaves like a strict server: `client_credentials` and `refresh_token` grants,
 * refresh tokens rotated on every use, and a reused refresh token refused with `invalid_grant`
 * (and, as oidc-provider does, every token of that grant revoked). Every request is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token request as the server received it. */
export interface TokenRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

/** A resource request as the server received it. */
export interface ResourceRequest {
  readonly method: string;
  readonly authorization: string | undefined;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** What a scripted endpoint answers: a response, or `'drop'` to destroy the connection. */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

export type TokenScript = (
  request: TokenRequest,
  server: ScriptedServer,
) => Answer | Promise<Answer>;
export type ResourceScript = (
  request: ResourceRequest,
  server: ScriptedServer,
) => Answer | Promise<Answer>;

/** A promise the test resolves when it wants: a slow endpoint without a timer. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export class ScriptedServer {
  readonly tokenRequests: TokenRequest[] = [];
  readonly resourceRequests: ResourceRequest[] = [];
  /** Access tokens the resource accepts. */
  readonly validAccessTokens = new Set<string>();
  /** Refresh tokens the token endpoint accepts once (rotation). */
  readonly validRefreshTokens = new Set<string>();
  /** Refresh tokens refused because they had been used already. */
  readonly reusedRefreshTokens: string[] = [];
  token: TokenScript = (request) => this.issue(request);
  resource: ResourceScript = (request) => this.check(request);
  expiresIn: number | string | undefined = 3600;
  /** Called on every token request as it arrives (an event a test can wait for). */
  onTokenRequest: ((request: TokenRequest) => void) | undefined;
  #issued = 0;
  readonly #server: http.Server;
  url = '';

  constructor() {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** A fresh access token (and refresh token) the resource accepts. */
  mint(): { accessToken: string; refreshToken: string } {
    this.#issued += 1;
    const accessToken = `at-${this.#issued}`;
    const refreshToken = `rt-${this.#issued}`;
    this.validAccessTokens.add(accessToken);
    this.validRefreshTokens.add(refreshToken);
    return { accessToken, refreshToken };
  }

  /** The strict default token endpoint: rotation, reuse refused and the grant revoked. */
  issue(request: TokenRequest): Answer {
    const grant = request.form.get('grant_type');
    if (grant === 'refresh_token') {
      const used = request.form.get('refresh_token') ?? '';
      if (!this.validRefreshTokens.delete(used)) {
        this.reusedRefreshTokens.push(used);
        this.validAccessTokens.clear();
        this.validRefreshTokens.clear();
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'refresh token already used' },
        };
      }
    } else if (grant !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const { accessToken, refreshToken } = this.mint();
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer' };
    if (this.expiresIn !== undefined) body['expires_in'] = this.expiresIn;
    if (grant === 'refresh_token') body['refresh_token'] = refreshToken;
    return { status: 200, body };
  }

  /** The default resource: 200 for a valid token, RFC 6750 §3 401 otherwise. */
  check(request: ResourceRequest): Answer {
    const token = /^Bearer (.+)$/.exec(request.authorization ?? '')?.[1];
    if (token && this.validAccessTokens.has(token))
      return { status: 200, body: { ok: true, token } };
    return {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
      body: { error: 'invalid_token' },
    };
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let answer: Answer;
    if (req.method === 'POST' && req.url === '/token') {
      const request: TokenRequest = { headers: req.headers, form: new URLSearchParams(body) };
      this.tokenRequests.push(request);
      this.onTokenRequest?.(request);
      answer = await this.token(request, this);
    } else {
      const request: ResourceRequest = {
        method: req.method ?? 'GET',
        authorization: req.headers.authorization,
        body,
        headers: req.headers,
      };
      this.resourceRequests.push(request);
      answer = await this.resource(request, this);
    }
    write(res, answer);
  }
}

function write(res: http.ServerResponse, answer: Answer): void {
  if (answer === 'drop') {
    res.socket?.destroy();
    return;
  }
  const { status, body, headers = {} } = answer;
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/html' : 'application/json';
  if (res.socket?.destroyed) return;
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** A started server, closed after the test file. */
export function useScriptedServer(): () => ScriptedServer {
  let server: ScriptedServer | undefined;
  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the scripted server is not started');
    return server;
  };
}
