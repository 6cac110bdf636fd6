/**
 * `OAuth2Auth`: OAuth 2.0 (RFC 6749) access tokens sent as Bearer (RFC 6750), obtained with the
 * client credentials grant (§4.4) or a refresh token (§6), and renewed with one token request
 * however many calls need it (`token-holder.ts`).
 *
 * Per call, the flow is bounded: at most one refresh (sent or waited for) and one retry. It
 * renews before sending when the token is missing or within `refreshMargin` of its expiry, and
 * after a 401 (or `error="invalid_token"`) only when the refused token is still the current one;
 * if another call replaced it meanwhile, the call is retried with the newer token. The retry
 * yields the same `AuthRequest`, so the driver replays the same body bytes and headers.
 */
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import {
  answerOnce,
  Auth,
  authorizeChecked,
  setsOnlyAuthorization,
  syncFlowWhenReady,
  type AsyncAuthFlow,
  type FlowRequest,
  type SteppedFlow,
} from '../../auth.js';
import { hasStopped, stopSourcesOf, type StopSources } from '../../driver/cancellation.js';
import { OAuth2Error } from '../../errors.js';
import { hasScheme } from '../../http/url.js';
import { keepForAnswer, keptForAnswer, type AuthRequest } from '../../request.js';
import { REDACTED, inspectSymbol } from '../../util/redaction.js';
import { asksForNewToken } from './bearer-challenge.js';
import { TokenHolder, type OAuth2TokenStore, type Refresh } from './token-holder.js';
import { tokenRequest, type ClientAuthentication, type OAuth2Client } from './token-request.js';
import { checkedToken, readTokenAnswer, redactTokenExchange, type OAuth2Token } from './token.js';

/** Options of `OAuth2Auth`. */
export interface OAuth2AuthOptions {
  /**
   * The token endpoint. A relative URL is resolved against the instance's baseURL, like any
   * request of that instance.
   * @example 'https://id.example.com/oauth/token'
   */
  tokenUrl: string | URL;
  /** The client identifier (RFC 6749 §2.2). */
  clientId: string;
  /** The client secret; without one the client is public and names itself in the body. */
  clientSecret?: string | undefined;
  /**
   * How the secret is sent: `'basic'` (client_secret_basic, the default, RFC 6749 §2.3.1) or
   * `'post'` (client_secret_post, in the form body).
   * @default 'basic'
   */
  clientAuthentication?: ClientAuthentication | undefined;
  /**
   * The scope asked for with client credentials, as a list or a space-separated string.
   * @example ['read', 'write']
   */
  scope?: string | readonly string[] | undefined;
  /**
   * A token from a login done elsewhere (an authorization code exchange, a device flow). With a
   * `refreshToken`, renewals use the refresh_token grant; an `expiresAt` in the past (or within
   * the margin) is renewed before the first call.
   * @example { accessToken, refreshToken, expiresAt: Date.now() + 3600_000 }
   */
  token?: OAuth2Token | undefined;
  /** Where tokens are loaded from (once, on first use) and saved to (each new one). */
  store?: OAuth2TokenStore | undefined;
  /**
   * How long before its expiry a token is renewed, in milliseconds.
   * @default 30_000
   */
  refreshMargin?: number | undefined;
  /** The clock, in milliseconds since the epoch (tests inject one). @default Date.now */
  now?: (() => number) | undefined;
}

/** How long before expiry a token is renewed by default: a request in flight must not outlive it. */
const DEFAULT_REFRESH_MARGIN = 30_000;
/** Timers may fire a little early; a call this close to its deadline counts as timed out. */
const TIMER_SLACK = 20;

/**
 * OAuth 2.0 Bearer tokens for every call of an instance, renewed with one token request however
 * many calls need one.
 *
 * @example
 * const client = withAuth(axios.create({
 *   auth: new OAuth2Auth({
 *     tokenUrl: 'https://id.example.com/oauth/token',
 *     clientId: 'app',
 *     clientSecret: process.env.CLIENT_SECRET,
 *     scope: ['read', 'write'],
 *   }),
 * }));
 */
export class OAuth2Auth extends Auth {
  /** @internal It adds `Authorization` alone (see `setsOnlyAuthorization`). */
  override readonly [setsOnlyAuthorization] = true;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly #client: OAuth2Client;
  readonly #scope: string | undefined;
  readonly #margin: number;
  readonly #now: () => number;
  readonly #holder: TokenHolder;

  constructor(options: OAuth2AuthOptions) {
    super();
    checkOptions(options);
    this.tokenUrl = String(options.tokenUrl);
    this.clientId = options.clientId;
    this.#client = {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      clientAuthentication: options.clientAuthentication ?? 'basic',
    };
    const scope = options.scope;
    this.#scope = typeof scope === 'string' || scope === undefined ? scope : scope.join(' ');
    this.#margin = options.refreshMargin ?? DEFAULT_REFRESH_MARGIN;
    this.#now = options.now ?? Date.now;
    const initial = checkedToken(options.token, 'in the options');
    this.#holder = new TokenHolder(initial, options.store, (token) => this.#isFresh(token));
  }

  /** The token the next call will send (after a store read, the saved one); never printed. */
  get token(): OAuth2Token | undefined {
    return this.#holder.current;
  }

  override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    // Whether the call that sends a token request was stopped by its caller. Its abort does not
    // cancel the token request (it has a signal of its own), but the driver caps each exchange
    // by the call's timeout, and stops before sending when the call was aborted meanwhile.
    const call = stopSourcesOf(request.config);
    let token = await this.#holder.load();
    let renewed = false;
    if (!token || !this.#isFresh(token)) {
      token = yield* this.#renew(token, call);
      renewed = true;
    }
    const response: AxiosResponse = yield authorized(request, token);
    if (!asksForNewToken(response)) return;
    yield* this.#afterRefusal(request, token, renewed, call);
  }

  /**
   * A warm call (a fresh token at hand, nothing to load) is stepped without an async generator:
   * its one exchange waits for nothing. Only a refusal continues asynchronously.
   */
  override [syncFlowWhenReady](request: AuthRequest): SteppedFlow | undefined {
    const token = this.#warmToken();
    if (!token) return undefined;
    const call = stopSourcesOf(request.config);
    return new WarmFlow(request, () => this.#afterRefusal(request, token, false, call), token);
  }

  /** A warm call, where the driver sends it as one exchange: the request with the token. */
  override [authorizeChecked](request: AuthRequest): AuthRequest | undefined {
    const token = this.#warmToken();
    if (!token) return undefined;
    keepForAnswer(request, token); // which token was sent, if it is refused (see `answerOnce`)
    return authorized(request, token);
  }

  /**
   * The answer to a request `authorizeChecked` authorized: the call's, unless it asks for a new
   * token; then the rest of a warm call's flow, waiting for that answer.
   */
  override [answerOnce](
    request: AuthRequest,
    response: AxiosResponse,
    startedAt: number,
  ): SteppedFlow | undefined {
    if (!asksForNewToken(response)) return undefined;
    // The token object sent, not its string: a refresh may bring back the same access token,
    // and another call's newer token object is still the one to retry with.
    const refused = keptForAnswer(request) as OAuth2Token;
    const call = stopSourcesOf(request.config, startedAt);
    return new WarmFlow(request, () => this.#afterRefusal(request, refused, false, call));
  }

  /**
   * The token a warm call sends: a fresh one at hand, with nothing to load. None for a subclass
   * with its own async flow, which is always run.
   */
  #warmToken(): OAuth2Token | undefined {
    if (this.asyncAuthFlow !== OAuth2Auth.prototype.asyncAuthFlow) return undefined;
    const token = this.#holder.load();
    return token && !(token instanceof Promise) && this.#isFresh(token) ? token : undefined;
  }

  /** After `token` was refused: retry with a newer one, or renew once (unless already done). */
  async *#afterRefusal(
    request: AuthRequest,
    token: OAuth2Token,
    renewed: boolean,
    call: StopSources,
  ): AsyncAuthFlow {
    const current = this.#holder.current;
    // Another call replaced the refused token meanwhile: retry with that one, no refresh.
    if (current && current !== token && this.#isFresh(current)) {
      yield authorized(request, current);
      return;
    }
    // This call's one refresh is spent (it renewed before sending): the 401 is the answer.
    if (renewed) return;
    yield authorized(request, yield* this.#renew(token, call));
  }

  /** A token to replace `stale`: another call's newer one, the shared refresh's, or our own. */
  async *#renew(
    stale: OAuth2Token | undefined,
    call: StopSources,
  ): AsyncGenerator<FlowRequest, OAuth2Token, AxiosResponse> {
    for (;;) {
      const turn = this.#holder.enter(stale);
      if ('token' in turn) return turn.token;
      if ('send' in turn) return yield* this.#send(turn.send, call);
      const token = await turn.wait;
      if (token) return token;
      // The sender's call stopped before the answer came: ask again (and maybe send it).
    }
  }

  /** Send the token request for `refresh` and settle it for every call that waits. */
  async *#send(
    refresh: Refresh,
    call: StopSources,
  ): AsyncGenerator<FlowRequest, OAuth2Token, AxiosResponse> {
    const previous = this.#holder.current;
    let answered = false;
    try {
      const response: AxiosResponse = yield this.#tokenRequest(previous);
      answered = true;
      const token = this.#read(response, previous, refresh);
      await this.#holder.succeed(refresh, token);
      return token;
    } finally {
      // The driver closed this flow before the answer came (the exchange failed, or this call
      // was stopped): hand the refresh over, or fail it for everyone if the endpoint is at fault.
      if (!answered) this.#abandon(refresh, call);
    }
  }

  #tokenRequest(current: OAuth2Token | undefined): AxiosRequestConfig {
    return tokenRequest(this.tokenUrl, this.#client, current, this.#scope);
  }

  #read(response: AxiosResponse, previous: OAuth2Token | undefined, refresh: Refresh): OAuth2Token {
    const secrets = [this.#client.clientSecret ?? '', previous?.refreshToken ?? ''];
    try {
      return readTokenAnswer(response, {
        previous,
        requestedScope: this.#scope,
        now: this.#now(),
        endpoint: this.#endpoint(),
        secrets,
      });
    } catch (error) {
      this.#holder.fail(refresh, error);
      throw error;
    } finally {
      redactTokenExchange(response, secrets);
    }
  }

  #abandon(refresh: Refresh, call: StopSources): void {
    if (hasStopped(call, TIMER_SLACK)) {
      this.#holder.leave(refresh);
      return;
    }
    const error = new OAuth2Error(
      `the token request to ${this.#endpoint()} got no answer (connection refused, reset or ` +
        'timed out, or the request was stopped by a request interceptor); the call that sent ' +
        'it got the transport error',
    );
    this.#holder.fail(refresh, error);
  }

  #isFresh(token: OAuth2Token): boolean {
    return token.expiresAt === undefined || token.expiresAt - this.#margin > this.#now();
  }

  /** The token endpoint for messages: no user:password, no query. */
  #endpoint(): string {
    try {
      const url = new URL(this.tokenUrl, 'http://localhost');
      return hasScheme(this.tokenUrl) ? `${url.origin}${url.pathname}` : url.pathname;
    } catch {
      return 'the token endpoint';
    }
  }

  override [inspectSymbol](): string {
    const secret = this.#client.clientSecret === undefined ? 'none' : `'${REDACTED}'`;
    return (
      `OAuth2Auth { tokenUrl: ${JSON.stringify(this.#endpoint())}, clientId: ` +
      `${JSON.stringify(this.clientId)}, clientSecret: ${secret}, token: '${REDACTED}' }`
    );
  }

  override toJSON(): Record<string, unknown> {
    return {
      type: 'OAuth2Auth',
      tokenUrl: this.#endpoint(),
      clientId: this.clientId,
      clientSecret: this.#client.clientSecret === undefined ? undefined : REDACTED,
      token: REDACTED,
    };
  }
}

/**
 * The steps of a warm call: the request with the token, at once; then, if the response asks for
 * a new token, the rest of the flow (`afterRefusal`), which the driver awaits step by step. The
 * call's stop sources are read when the call starts, as the async flow reads them.
 */
class WarmFlow implements SteppedFlow {
  #rest: AsyncAuthFlow | undefined;
  // Private fields: nothing prints the token, whoever holds the flow.
  readonly #request: AuthRequest;
  /** The token to send, until the request is sent; none: sent already (`answerOnce`). */
  #token: OAuth2Token | undefined;
  readonly #afterRefusal: () => AsyncAuthFlow;

  constructor(request: AuthRequest, afterRefusal: () => AsyncAuthFlow, token?: OAuth2Token) {
    this.#request = request;
    this.#token = token;
    this.#afterRefusal = afterRefusal;
  }

  next(
    response?: AxiosResponse,
  ): IteratorResult<FlowRequest, void> | Promise<IteratorResult<FlowRequest, void>> {
    if (this.#rest) return response ? this.#rest.next(response) : this.#rest.next();
    const token = this.#token;
    if (token) {
      this.#token = undefined;
      return { done: false, value: authorized(this.#request, token) };
    }
    if (!response || !asksForNewToken(response)) return { done: true, value: undefined };
    this.#rest = this.#afterRefusal();
    return this.#rest.next();
  }

  return(): IteratorResult<FlowRequest, void> | Promise<IteratorResult<FlowRequest, void>> {
    return this.#rest ? this.#rest.return(undefined) : { done: true, value: undefined };
  }
}

/** The request with the token in its Authorization header (RFC 6750 §2.1). */
function authorized(request: AuthRequest, token: OAuth2Token): AuthRequest {
  request.headers.set('Authorization', `Bearer ${token.accessToken}`);
  return request;
}

function checkOptions(options: OAuth2AuthOptions): void {
  const fail = (problem: string): never => {
    // Names the option, never its value: it may be a secret.
    throw new TypeError(`OAuth2Auth: ${problem}`);
  };
  if (typeof options !== 'object' || options === null) fail('takes an options object');
  const { tokenUrl, clientId, clientSecret, clientAuthentication, refreshMargin } = options;
  if (typeof tokenUrl !== 'string' && !(tokenUrl instanceof URL)) fail('tokenUrl must be a URL');
  if (typeof clientId !== 'string' || clientId === '') fail('clientId must be a non-empty string');
  if (clientSecret !== undefined && typeof clientSecret !== 'string') {
    fail('clientSecret must be a string');
  }
  if (clientAuthentication !== undefined && !['basic', 'post'].includes(clientAuthentication)) {
    fail("clientAuthentication must be 'basic' or 'post'");
  }
  if (refreshMargin !== undefined && !(Number.isFinite(refreshMargin) && refreshMargin >= 0)) {
    fail('refreshMargin must be a number of milliseconds, 0 or more');
  }
  const { store } = options;
  if (
    store !== undefined &&
    (typeof store?.get !== 'function' || typeof store.set !== 'function')
  ) {
    fail('store must have get() and set(token) methods');
  }
}
