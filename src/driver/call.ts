/**
 * One call: its auth flow, the exchanges the flow asks for, and the history they leave.
 *
 * The flow is a generator: `run` steps it, sending each request it yields and resuming it with
 * the response, until it returns. The response to the last request it yielded is the call's
 * answer; the earlier ones are its `history`. Every exchange is sent with `validateStatus: null`
 * so that the flow sees 401s as responses; the caller's `validateStatus` is applied to the final
 * response only, as axios's `settle` would.
 *
 * What is sent how:
 * - the call's own request, and clones of it, go straight to the real adapter with the same
 *   config (`sendPrepared`): interceptors and `transformRequest` are not run twice;
 * - a new request the flow yields (a token request, an AuthRequest made by hand) runs the
 *   instance's pipeline (`sendNew`, through a `Subrequest`). One with its own auth runs a nested
 *   `Call`, which counts against the same `maxFlowRequests` budget as the call that started it
 *   (the root's counter), at any depth; an auth object that is already running further up the
 *   chain is a cycle, stopped before it sends anything.
 *
 * Every exchange goes through `sendGuarded`, so that no redirect takes the credentials the auth
 * set to another origin. Which headers those are is known by comparing the request the flow
 * yielded with the headers the call started with (`#baseline`), worked out only on a redirect.
 */
import { AxiosError, AxiosHeaders, isAxiosError } from 'axios';
import type {
  AxiosAdapter,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';
import { Auth, syncFlowWhenReady, type FlowRequest, type SteppedFlow } from '../auth.js';
import { toAuth } from '../auth-option.js';
import { AuthFlowError } from '../errors.js';
import { asBuffer, isStreamBody, isWebStream, readStream, readWebStream } from '../http/body.js';
import type { HeaderBag } from '../http/headers.js';
import { AuthRequest, isPrepared, preparedRequest } from '../request.js';
import { describeValue } from '../util/describe.js';
import { CallDeadline, Interruption, isOutliving, OUTLIVING_TIMEOUT } from './cancellation.js';
import { CallerSettings, putBack } from './caller-settings.js';
import { Exchange, FlowResponse } from './exchange.js';
import type { Installation } from './install.js';
import { Credentials, rememberAuthHeaders, sendGuarded, type AdapterKind } from './redirects.js';
import { SUBREQUEST_KEY, Subrequest } from './subrequest.js';

export class Call {
  readonly #history: AxiosResponse[] = [];
  readonly #caller: CallerSettings;
  readonly #deadline: CallDeadline;
  /** Stream bodies already sent once: a stream cannot be sent twice. */
  #sentStreams: WeakSet<object> | undefined;
  /** Requests sent for this call and every call nested in it (counted on the root only). */
  #requests = 0;
  /** The call whose budget this one spends: itself, or the top call it is nested in. */
  readonly #root: Call;
  /**
   * A nested call's own request was counted when the parent flow yielded it: its first send of
   * that request is free, so the budget counts requests, not the hand-over.
   */
  #countedByParent: boolean;
  /** A request the flow built with its own signal, while it is in flight (see `sendNew`). */
  #detached: Promise<Exchange> | undefined;
  /** The headers the call started with, to tell what the auth added (see `#snapshot`). */
  #baseline: Readonly<Record<string, unknown>> | null = null;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth,
    /** The `auth` option the caller gave (kept on the config users see). */
    authOption: unknown,
    readonly config: InternalAxiosRequestConfig,
    /** The adapter the instance would have used: mock, http, fetch or xhr. */
    readonly adapter: AxiosAdapter,
    /** Which built-in adapter that is: decides how redirects are guarded. */
    readonly adapterKind: AdapterKind,
    /** Set when a parent flow yielded this call's request with its own auth. */
    readonly nesting?: Nesting,
    /** `Date.now()` when the call started, if before now (its first exchange was sent alone). */
    startedAt?: number,
  ) {
    this.#root = nesting ? nesting.parent.#root : this;
    this.#countedByParent = nesting !== undefined;
    this.#caller = new CallerSettings(config, authOption);
    this.#deadline = new CallDeadline(
      config,
      this.#caller.timeout,
      this.#caller.timeoutErrorMessage,
      startedAt,
    );
  }

  /**
   * Step the flow to its end. `start` is where the driver already took the call
   * (`one-exchange.ts`): the flow and baseline, with the flow's first step taken, or with its
   * first exchange sent and answered.
   */
  async run(start?: FirstStep): Promise<AxiosResponse> {
    let flow: SteppedFlow;
    if (start) {
      this.#baseline = start.baseline;
      flow = start.flow;
    } else {
      const request = preparedRequest(this.config);
      if (this.auth.requiresRequestBody) {
        const loading = request.loadContent();
        if (loading) await loading;
      }
      // A plain copy of the headers before the flow changes them (in place), to tell what the
      // auth added (see `Credentials`).
      this.#baseline = { ...this.config.headers };
      // A flow that only overrides the synchronous `authFlow` is driven without the async
      // generator around it: two fewer promise hops per step on every authenticated call.
      const { auth } = this;
      flow = !overridesAsyncFlow(auth)
        ? auth.authFlow(request)
        : (auth[syncFlowWhenReady]?.(request) ?? auth.asyncAuthFlow(request));
    }
    // `next()` of a synchronous flow is not awaited: each await is a promise hop per step.
    let step: IteratorResult<FlowRequest, void> | undefined;
    let interrupted = false;
    try {
      const answered = start?.answered;
      const first = answered ? flow.next(answered.flowResponse) : flow.next();
      step = first instanceof Promise ? await this.#deadline.unlessInterrupted(first) : first;
      if (answered) {
        // The flow has seen the answer to the call's first request: it is the call's answer, or
        // history now.
        this.#requests = 1;
        if (step.done) return this.finish(answered);
        this.#history.push(answered.toHistoryEntry(this.#history));
      } else if (step.done) {
        throw new AuthFlowError(
          `${this.auth.constructor.name} finished its auth flow without yielding a request`,
        );
      }
      for (;;) {
        const exchange = await this.send(step.value);
        const next = flow.next(exchange.flowResponse);
        step = next instanceof Promise ? await this.#deadline.unlessInterrupted(next) : next;
        if (step.done) return this.finish(exchange);
        this.#history.push(exchange.toHistoryEntry(this.#history));
      }
    } catch (error) {
      interrupted = error instanceof Interruption;
      throw interrupted ? (error as Interruption).reason : error;
    } finally {
      // A flow that threw before its first send leaves the config as the caller made it too.
      (this.config as { auth?: unknown }).auth = this.#caller.auth;
      // Close the flow however the call ends, so its `finally` blocks run. A flow interrupted
      // while it awaits (a lock, I/O) is still running: `return()` waits for that step, so it is
      // not awaited here; the call rejects now, and whatever the step yields is never sent.
      const detached = this.#detached;
      this.#detached = undefined;
      if (interrupted && detached) {
        // The caller holds an error with this config: the flow's later steps write the request's
        // headers (OAuth2 puts the new token on it), and must not change that error afterwards.
        this.config.headers = new AxiosHeaders(this.config.headers);
        finishDetached(flow, detached);
      } else if (interrupted) {
        const closing = flow.return(undefined);
        if (closing instanceof Promise) closing.catch(() => undefined);
      } else if (!step?.done) await flow.return(undefined);
    }
  }

  /** Sends one request the flow yielded, counted against the call's bound. */
  send(yielded: FlowRequest): Promise<Exchange> {
    const max = this.installation.maxFlowRequests;
    const free = this.#countedByParent && yielded instanceof AuthRequest && isPrepared(yielded);
    this.#countedByParent = false;
    if (!free && ++this.#root.#requests > max) {
      const nested = this.#root === this ? '' : ' (nested requests with their own auth included)';
      throw new AuthFlowError(
        `${this.auth.constructor.name} yielded more than ${max} requests for one call${nested} ` +
          'and was stopped; raise withAuth(instance, { maxFlowRequests }) if the flow really ' +
          'needs more',
      );
    }
    if (yielded instanceof AuthRequest) {
      return isPrepared(yielded) ? this.sendPrepared(yielded) : this.sendNew(yielded.toNewConfig());
    }
    if (isPlainObject(yielded)) return this.sendNew(yielded);
    return Promise.reject(
      new AuthFlowError(
        `${this.auth.constructor.name} yielded ${describeValue(yielded)}; an auth flow must ` +
          'yield an AuthRequest or an axios request config',
      ),
    );
  }

  /** The call's own request (or a clone), straight to the adapter with the call's config. */
  async sendPrepared(request: AuthRequest): Promise<Exchange> {
    this.#sendOnce(request.body);
    const sent = request.toConfig();
    (sent as { auth?: unknown }).auth = null; // not `delete` nor undefined: see Installation.dispatch
    sent.validateStatus = null;
    let response: AxiosResponse;
    try {
      this.#deadline.checkTimeLeft(sent);
      const owner = this.#caller.auth;
      if (this.#baseline) rememberAuthHeaders(owner, request.headers, this.#baseline);
      const credentials = new Credentials(
        request.headers,
        this.#baseline,
        this.nesting?.inherited,
        owner,
      );
      response = await sendGuarded(
        this.adapter,
        this.adapterKind,
        sent,
        credentials,
        () => request.url.href,
        this.#caller.beforeRedirect,
      );
    } catch (error) {
      throw this.#deadline.asCallTimeout(error);
    } finally {
      this.#caller.restore(sent);
    }
    if (this.auth.requiresResponseBody) {
      // A `responseType: 'stream'` body (a Node stream from the http adapter, a WHATWG stream
      // from fetch) is read for the flow, which sees it as bytes; the caller gets a stream again.
      const data: unknown = response.data;
      const web = isWebStream(data);
      if (web || isStreamBody(data)) {
        const bytes = web ? await readWebStream(data) : await readStream(data);
        response.data = asBuffer(bytes);
        const streamBody = { bytes, web };
        return new Exchange(response, new FlowResponse(response, this.config), { streamBody });
      }
    }
    return new Exchange(response, new FlowResponse(response, this.config));
  }

  /** A stream body can be sent once; a flow that resends one is told how to make it work. */
  #sendOnce(body: unknown): void {
    if (!isStreamBody(body) && !isWebStream(body)) return;
    this.#sentStreams ??= new WeakSet();
    if (this.#sentStreams.has(body)) {
      throw new AuthFlowError(
        `${this.auth.constructor.name} sent the request again, but its body was a stream that ` +
          'the first send consumed; set `requiresRequestBody = true` on the Auth class so the ' +
          'body is read into memory and can be sent again',
      );
    }
    this.#sentStreams.add(body);
  }

  /** A new request: through the instance's pipeline, without the client's auth. */
  async sendNew(yielded: AxiosRequestConfig): Promise<Exchange> {
    if (yielded.url === undefined) {
      throw new AuthFlowError(`${this.auth.constructor.name} yielded a request config with no url`);
    }
    // Its own `auth` (say, OAuth client credentials for a token endpoint) is checked now and
    // applied to it alone; without one it goes as yielded, as in httpx. A config copied from
    // `request.config` carries this call's own auth: running that again would nest this flow
    // in itself, so it goes as yielded too.
    const given = yielded.auth === this.#caller.auth ? undefined : toAuth(yielded.auth);
    const ownAuth = given === this.auth ? undefined : given;
    if (ownAuth) this.#refuseCycle(ownAuth);
    const subrequest = new Subrequest(
      this.installation,
      ownAuth,
      yielded.auth,
      this,
      yielded.headers,
    );
    const config: AxiosRequestConfig & Record<string, unknown> = {
      ...yielded,
      validateStatus: null,
      [SUBREQUEST_KEY]: subrequest,
    };
    if (yielded.headers && !isStreamBody(yielded.data) && !isWebStream(yielded.data)) {
      // A config built from a sent one (`{ ...request.config, data }`) carries the length of
      // that request's body; axios computes the right one for an in-memory body when none is set.
      const headers = new AxiosHeaders(yielded.headers as HeaderBag);
      headers.delete('Content-Length');
      config.headers = headers;
    }
    // A request the flow marked as its own (`outlivesCall`: OAuth2's token request, whose answer
    // every waiting call shares) runs to its end with its own timeout, whatever happens to the
    // call. The call itself still stops on time: it rejects at once, and the flow gets the answer
    // afterwards (see `run`).
    const outliving = isOutliving(yielded);
    if (outliving) {
      this.#deadline.throwIfStopped();
      const { defaults } = this.installation.pipeline;
      if (yielded.timeout === undefined && !defaults.timeout) {
        config.timeout = Math.max(OUTLIVING_TIMEOUT, this.#caller.timeout);
      }
      const sending = this.#sendThroughPipeline(config, yielded, subrequest, outliving);
      this.#detached = sending;
      try {
        const exchange = await this.#deadline.unlessInterrupted(sending);
        this.#detached = undefined;
        return exchange;
      } catch (error) {
        // Kept only when the call stopped first, with the request still in flight (see `run`).
        if (!(error instanceof Interruption)) this.#detached = undefined;
        throw error;
      }
    }
    if (config.signal === undefined && this.config.signal) config.signal = this.config.signal;
    if (config.cancelToken === undefined && this.config.cancelToken) {
      config.cancelToken = this.config.cancelToken;
    }
    this.#deadline.checkTimeLeft(config, yielded.timeout);
    return this.#sendThroughPipeline(config, yielded, subrequest, outliving);
  }

  async #sendThroughPipeline(
    config: AxiosRequestConfig,
    yielded: AxiosRequestConfig,
    subrequest: Subrequest,
    outliving: boolean,
  ): Promise<Exchange> {
    let flowResponse: AxiosResponse;
    try {
      flowResponse = await this.installation.pipeline.request<unknown>(config);
    } catch (error) {
      const failed = (error as { config?: InternalAxiosRequestConfig } | null)?.config;
      if (failed) this.#asYielded(failed, yielded);
      if (!outliving) this.#deadline.asCallTimeout(error);
      // The caller's call failed (a token endpoint out of reach, say): its error carries the
      // call's config, as `finish` does, so that a retry of `error.config` (axios-retry retries
      // network errors) runs the call again, not the request the flow built. Nor, for a token
      // request, its transport object: Node's holds its raw head, the client's Basic secret in it.
      if (isAxiosError(error)) {
        error.config = this.config;
        if (outliving) error.request = undefined;
      }
      throw error;
    }
    this.#asYielded(flowResponse.config, yielded);
    return new Exchange(subrequest.raw ?? flowResponse, flowResponse, { newRequest: true });
  }

  /**
   * A new request's config as its response and history show it: with the `validateStatus`,
   * `timeout` and `auth` the flow gave it (or the instance's), not the driver's.
   */
  #asYielded(sent: InternalAxiosRequestConfig, yielded: AxiosRequestConfig): void {
    const { defaults } = this.installation.pipeline;
    for (const key of ['validateStatus', 'timeout', 'timeoutErrorMessage'] as const) {
      // An explicit `validateStatus: null` is the flow's (accept every status), as in mergeConfig.
      putBack(sent, key, key in yielded ? yielded[key] : defaults[key]);
    }
    (sent as { auth?: unknown }).auth = yielded.auth;
  }

  /**
   * An auth that is already running further up this chain would nest itself without end
   * (A yields a request with auth B, whose flow yields one with auth A, ...).
   */
  #refuseCycle(auth: Auth): void {
    // `auth` is not this call's own (that one goes without auth, see `sendNew`): look above.
    const chain: string[] = [auth.constructor.name, this.auth.constructor.name];
    for (let call = this.nesting?.parent; call; call = call.nesting?.parent) {
      chain.push(call.auth.constructor.name);
      if (call.auth === auth) {
        throw new AuthFlowError(
          `auth flows yield each other in a cycle (${chain.reverse().join(' → ')}) and were ` +
            `stopped; a request's auth may not be one already running for it. At most ` +
            `${this.installation.maxFlowRequests} requests (maxFlowRequests) go out for one ` +
            'call, nested ones included',
        );
      }
    }
  }

  /** The call's answer: the last response, with the history, checked by `validateStatus`. */
  finish(exchange: Exchange): AxiosResponse {
    const response = exchange.final();
    response.history = this.#history;
    const { validateStatus } = this.#caller;
    if (!response.status || !validateStatus || validateStatus(response.status)) return response;
    // What axios's `settle` would have thrown, with the history attached to its response. Its
    // `config` is the call's own (a request the flow built has its own on the response), so
    // that `client.request(error.config)` runs the same call again, flow included.
    throw new AxiosError(
      `Request failed with status code ${response.status}`,
      response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      exchange.newRequest ? this.config : response.config,
      response.request,
      response,
    );
  }
}

/** Where the driver took a call before the call was made (`one-exchange.ts`). */
export interface FirstStep {
  /** The flow, its first step taken: it yielded the request (sent already if `answered`). */
  readonly flow: SteppedFlow;
  readonly baseline: Readonly<Record<string, unknown>> | null;
  /** The call's first request, sent and answered: the flow is resumed with its response. */
  readonly answered?: Exchange;
}

/** Where a parent flow's new request runs a nested call: the parent, and what it put on it. */
export interface Nesting {
  readonly parent: Call;
  /** The headers the parent flow gave the request: its credentials too. */
  readonly inherited: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The call stopped while a request the flow owns was in flight: the flow still gets its answer
 * (OAuth2Auth stores the token it brings for the calls that wait), then is closed. Nothing it
 * yields after that is sent: the call is over. (A step that never settles keeps the flow, and
 * nothing else, alive, as a flow stuck on an await always did.)
 */
function finishDetached(flow: SteppedFlow, inFlight: Promise<Exchange>): void {
  inFlight
    .then(
      (exchange) => flow.next(exchange.flowResponse),
      () => undefined, // it failed: the flow is closed, as after any failed exchange
    )
    .then(() => flow.return(undefined))
    .catch(() => undefined);
}

function overridesAsyncFlow(auth: Auth): boolean {
  return auth.asyncAuthFlow !== Auth.prototype.asyncAuthFlow;
}

function isPlainObject(value: unknown): value is AxiosRequestConfig {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
