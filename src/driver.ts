/**
 * The driver: runs an auth flow for each call made through an axios instance.
 *
 * Where it sits. `withAuth` adds one request interceptor, which swaps the call's adapter for a
 * wrapper around it. By the time the wrapper runs, every request interceptor and
 * `transformRequest` have run, so the flow sees the request as it goes on the wire, and the body
 * is serialised once. The whole flow (every exchange) happens inside that one adapter call, so
 * the instance's response interceptors run once, on the final response, and never on an
 * intermediate 401: the defect of reissuing with `instance.request()` from a response
 * interceptor (axios-retry#246) cannot happen here.
 *
 * What is sent how.
 * - The call's own request, and clones of it, go straight to the real adapter (mock adapter,
 *   http, fetch, xhr) with the same config: interceptors are not run twice on one request.
 * - A new request the flow yields, as a plain config or as an AuthRequest it made by hand (a
 *   token refresh), runs the whole axios pipeline of the instance (defaults, request
 *   interceptors, transforms, adapter) with no response interceptors, through an `Axios` that
 *   shares the instance's defaults and request interceptors. The client's auth is not applied
 *   to it; its own `auth`, if it has one, is.
 * Every exchange is sent with `validateStatus: null`, so the flow sees 401s as responses; the
 * caller's `validateStatus` is applied to the final response only, as axios's `settle` would.
 * The call's config is sent in place (no copy per exchange); what the driver overwrites on it
 * for an exchange (validateStatus, timeout, beforeRedirect, auth) is put back once the adapter
 * is done, so the `config` of every response and error is the one the caller made.
 */
import axios, { AxiosError, AxiosHeaders, CanceledError } from 'axios';
import type {
  AxiosAdapter,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  CreateAxiosDefaults,
  InternalAxiosRequestConfig,
} from 'axios';
import { Auth, type FlowRequest } from './auth.js';
import { toAuth } from './auth-option.js';
import { BasicAuth } from './basic.js';
import {
  asBuffer,
  describe,
  isStreamBody,
  isWebStream,
  readStream,
  readWebStream,
  webStreamOf,
} from './body.js';
import { AuthFlowError } from './errors.js';
import { nodeModule } from './node.js';
import { mayCarryCredentials } from './origin.js';
import { AuthRequest, isPrepared, preparedRequest } from './request.js';

/** Options of `withAuth`. */
export interface WithAuthOptions {
  /**
   * The most requests one call's flow may send before it is stopped with an `AuthFlowError`.
   * @default 10
   */
  maxFlowRequests?: number;
}

/** The config key that marks a request a flow yielded (kept by `mergeConfig`, being a string). */
const SUBREQUEST_KEY = 'axios-auth-flow';

/** What `AxiosHeaders.from` accepts (the class is a value only in axios's CommonJS typings). */
type HeaderBag = Parameters<typeof AxiosHeaders.from>[0];

const installations = new WeakMap<object, Installation>();

/**
 * Install the auth driver on an axios instance and return the same instance. A second call on
 * the same instance changes nothing.
 *
 * @example
 * const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
 * const response = await client.get('https://example.com/protected');
 * response.history; // [the 401 that carried the challenge]
 */
export function withAuth<T extends AxiosInstance>(instance: T, options: WithAuthOptions = {}): T {
  if (installations.has(instance)) return instance;
  const maxFlowRequests = options.maxFlowRequests ?? 10;
  if (!Number.isInteger(maxFlowRequests) || maxFlowRequests < 1) {
    throw new TypeError('withAuth: maxFlowRequests must be a whole number of at least 1');
  }
  // A wrong client-level `auth` is reported now, not on the first request.
  toAuth(instance.defaults.auth);
  const installation = new Installation(instance, maxFlowRequests);
  instance.interceptors.request.use((config) => installation.prepare(config), undefined, {
    synchronous: true,
  });
  installations.set(instance, installation);
  inheritOnCreate(instance, options);
  return instance;
}

/**
 * `instance.create(config)` makes a child that inherits the parent's defaults, `auth` included,
 * but not its interceptors: without the driver, axios would send an `Auth` object as
 * `Basic undefined:undefined`. Children of an instance with the driver get it too. The global
 * `axios` object is left alone, so that other code's `axios.create()` is not changed behind it.
 */
function inheritOnCreate(instance: AxiosInstance, options: WithAuthOptions): void {
  const create = (instance as { create?: AxiosInstance['create'] }).create;
  if (typeof create !== 'function' || instance === axios) return;
  const createChild = create as (config?: CreateAxiosDefaults) => AxiosInstance;
  instance.create = ((config?: CreateAxiosDefaults) =>
    withAuth(createChild.call(instance, config), options)) as AxiosInstance['create'];
}

interface WrappedAdapter extends AxiosAdapter {
  authFlowInstallation?: Installation;
}

class Installation {
  readonly #wrappers = new WeakMap<AxiosAdapter, WrappedAdapter>();
  /** The instance's pipeline without its response interceptors, for new requests a flow yields. */
  readonly pipeline: InstanceType<typeof axios.Axios>;

  constructor(
    instance: AxiosInstance,
    readonly maxFlowRequests: number,
  ) {
    this.pipeline = new axios.Axios(instance.defaults as AxiosRequestConfig);
    this.pipeline.interceptors.request = instance.interceptors.request;
  }

  /** The request interceptor: route the call through our adapter wrapper. */
  prepare(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    const current = config.adapter as WrappedAdapter | undefined;
    if (typeof current === 'function' && current.authFlowInstallation === this) return config;
    const real = axios.getAdapter(config.adapter, config);
    let wrapper = this.#wrappers.get(real);
    if (!wrapper) {
      wrapper = (sent: InternalAxiosRequestConfig) => this.dispatch(sent, real);
      wrapper.authFlowInstallation = this;
      this.#wrappers.set(real, wrapper);
    }
    config.adapter = wrapper;
    return config;
  }

  dispatch(config: InternalAxiosRequestConfig, real: AxiosAdapter): Promise<AxiosResponse> {
    const subrequest = (config as unknown as Record<string, unknown>)[SUBREQUEST_KEY];
    if (subrequest instanceof Subrequest) return subrequest.send(config, real);

    const option: unknown = config.auth;
    delete config.auth; // axios's own Basic handling must never fire (no stray `Basic Og==`)
    // Per-request auth wins over the client's (mergeConfig already did that); both win over
    // credentials in the URL, which apply when `auth` is absent or null, as in httpx.
    let auth: Auth | undefined;
    try {
      const fromUrl = takeUrlCredentials(config);
      auth = toAuth(option) ?? (fromUrl && new BasicAuth(fromUrl.username, fromUrl.password));
    } catch (error) {
      return Promise.reject(error);
    }
    if (!auth) {
      // `auth: null` stays on the config users see, so `axios(error.config)` does not fall back
      // to the client's credentials; responses of a withAuth instance always have a history.
      const restore = (response: AxiosResponse | undefined): void => {
        if (response) response.history = [];
        if (option !== undefined) (config as { auth?: unknown }).auth = option;
      };
      return real(config).then(
        (response) => {
          restore(response);
          return response;
        },
        (error: unknown) => {
          restore((error as { response?: AxiosResponse } | null)?.response);
          throw error;
        },
      );
    }
    return new Call(this, auth, option, config, real).run();
  }
}

/** One call: the flow, its exchanges, its history. */
class Call {
  readonly #history: AxiosResponse[] = [];
  #sentStreams: WeakSet<object> | undefined;
  readonly #deadline: number;
  /**
   * What the caller set, kept before sends overwrite the config (it is sent as is, in place) and
   * put back after each send: the `config` on every response and error is the caller's, so
   * `axios(error.config)` retries with their validateStatus and timeout, not the driver's.
   */
  readonly #validateStatus: InternalAxiosRequestConfig['validateStatus'];
  readonly #timeout: number;
  readonly #timeoutErrorMessage: string | undefined;
  readonly #beforeRedirect: InternalAxiosRequestConfig['beforeRedirect'];
  #requests = 0;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth,
    readonly option: unknown,
    readonly config: InternalAxiosRequestConfig,
    readonly real: AxiosAdapter,
  ) {
    this.#validateStatus = config.validateStatus;
    this.#timeout = config.timeout ?? 0;
    this.#timeoutErrorMessage = config.timeoutErrorMessage;
    this.#beforeRedirect = config.beforeRedirect;
    this.#deadline = this.#timeout > 0 ? Date.now() + this.#timeout : Infinity;
  }

  async run(): Promise<AxiosResponse> {
    const request = preparedRequest(this.config);
    if (this.auth.requiresRequestBody) {
      const loading = request.loadContent();
      if (loading) await loading;
    }
    // A flow that only overrides the synchronous `authFlow` is driven without the async
    // generator around it: two fewer promise hops per step on every authenticated call.
    const flow =
      this.auth.asyncAuthFlow === Auth.prototype.asyncAuthFlow
        ? this.auth.authFlow(request)
        : this.auth.asyncAuthFlow(request);
    // `next()` of a synchronous flow is not awaited: each await is a promise hop per step.
    let step: IteratorResult<FlowRequest, void> | undefined;
    let interrupted = false;
    try {
      const first = flow.next();
      step = first instanceof Promise ? await this.#unlessInterrupted(first) : first;
      if (step.done) {
        throw new AuthFlowError(
          `${this.auth.constructor.name} finished its auth flow without yielding a request`,
        );
      }
      for (;;) {
        const exchange = await this.send(step.value);
        const next = flow.next(exchange.seen);
        step = next instanceof Promise ? await this.#unlessInterrupted(next) : next;
        if (step.done) return this.finish(exchange);
        this.#history.push(exchange.keep(this.#history));
      }
    } catch (error) {
      interrupted = error instanceof Interruption;
      throw interrupted ? (error as Interruption).reason : error;
    } finally {
      // Close the flow however the call ends, so its `finally` blocks run. A flow interrupted
      // while it awaits (a lock, I/O) is still running: `return()` waits for that step, so it is
      // not awaited here; the call rejects now, and whatever the step yields is never sent.
      if (interrupted) {
        const closing = flow.return(undefined);
        if (closing instanceof Promise) closing.catch(() => undefined);
      } else if (!step?.done) await flow.return(undefined);
    }
  }

  /**
   * An async flow may await anything between exchanges (a lock held by another call, disk I/O);
   * the caller's abort, cancel token and timeout still end the call then, as they would during
   * an exchange. Rejects with an `Interruption` carrying axios's usual error.
   */
  #unlessInterrupted<T>(step: Promise<T>): Promise<T> {
    const { signal, cancelToken } = this.config;
    if (!signal && !cancelToken && this.#deadline === Infinity) return step;
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = (reason: unknown): void => {
        cleanUp();
        reject(new Interruption(reason));
      };
      const onAbort = (): void => stop(new CanceledError(undefined, this.config));
      const onCancel = (reason: unknown): void => stop(reason);
      const cleanUp = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener?.('abort', onAbort);
        cancelToken?.unsubscribe(onCancel);
      };
      if (this.#deadline !== Infinity) {
        timer = setTimeout(
          () => stop(this.#timeoutError()),
          Math.max(0, this.#deadline - Date.now()),
        );
      }
      signal?.addEventListener?.('abort', onAbort);
      cancelToken?.subscribe(onCancel);
      // Aborted after the exchange ended but before this step: no event will come.
      if (signal?.aborted) onAbort();
      else if (cancelToken?.reason) onCancel(cancelToken.reason);
      step.then(
        (value) => {
          cleanUp();
          resolve(value);
        },
        (error: unknown) => {
          cleanUp();
          reject(error);
        },
      );
    });
  }

  send(yielded: FlowRequest): Promise<Exchange> {
    if (++this.#requests > this.installation.maxFlowRequests) {
      throw new AuthFlowError(
        `${this.auth.constructor.name} yielded more than ${this.installation.maxFlowRequests} ` +
          'requests for one call and was stopped; raise withAuth(instance, { maxFlowRequests }) ' +
          'if the flow really needs more',
      );
    }
    if (yielded instanceof AuthRequest) {
      return isPrepared(yielded) ? this.sendRequest(yielded) : this.sendNew(yielded.toNewConfig());
    }
    if (isPlainObject(yielded)) return this.sendNew(yielded);
    return Promise.reject(
      new AuthFlowError(
        `${this.auth.constructor.name} yielded ${describe(yielded)}; an auth flow must yield an ` +
          'AuthRequest or an axios request config',
      ),
    );
  }

  async sendRequest(request: AuthRequest): Promise<Exchange> {
    const body = request.body;
    if (isStreamBody(body) || isWebStream(body)) {
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
    const sent = request.toConfig();
    delete sent.auth;
    sent.validateStatus = null;
    let response: AxiosResponse;
    try {
      this.#checkTimeLeft(sent);
      guardRedirects(sent, request, this.#beforeRedirect);
      response = await this.real(sent);
    } finally {
      this.#restore(sent);
    }
    if (this.auth.requiresResponseBody) {
      // A `responseType: 'stream'` body (a Node stream from the http adapter, a WHATWG stream
      // from fetch) is read for the flow, which sees it as bytes; the caller gets a stream again.
      const { data } = response;
      const web = isWebStream(data);
      if (web || isStreamBody(data)) {
        const bytes = web ? await readWebStream(data) : await readStream(data);
        response.data = asBuffer(bytes);
        const streamBody = { bytes, web };
        return new Exchange(response, new FlowResponse(response, this.config), streamBody);
      }
    }
    return new Exchange(response, new FlowResponse(response, this.config));
  }

  async sendNew(yielded: AxiosRequestConfig): Promise<Exchange> {
    if (yielded.url === undefined) {
      throw new AuthFlowError(`${this.auth.constructor.name} yielded a request config with no url`);
    }
    // Its own `auth` (say, OAuth client credentials for a token endpoint) is checked now and
    // applied to it alone; without one it goes as yielded, as in httpx. A config copied from
    // `request.config` carries this call's own auth: running that again would nest this flow
    // in itself, so it goes as yielded too.
    const ownAuth = yielded.auth === this.option ? undefined : toAuth(yielded.auth);
    const subrequest = new Subrequest(
      this.installation,
      ownAuth === this.auth ? undefined : ownAuth,
      yielded.auth,
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
    if (config.signal === undefined && this.config.signal) config.signal = this.config.signal;
    if (config.cancelToken === undefined && this.config.cancelToken) {
      config.cancelToken = this.config.cancelToken;
    }
    this.#checkTimeLeft(config, yielded.timeout);
    const seen = await this.installation.pipeline.request<unknown>(config);
    return new Exchange(subrequest.raw ?? seen, seen);
  }

  /**
   * Put back on a sent config what the caller set. The adapter has read the config by the time
   * its promise settles (axios's `settle` ran, the timer and redirect hooks were installed).
   */
  #restore(sent: InternalAxiosRequestConfig): void {
    // `auth` stays on the config users see, so `axios(error.config)` re-authenticates.
    (sent as { auth?: unknown }).auth = this.option;
    if (this.#validateStatus === undefined) delete sent.validateStatus;
    else sent.validateStatus = this.#validateStatus;
    sent.timeout = this.#timeout;
    if (this.#timeoutErrorMessage === undefined) delete sent.timeoutErrorMessage;
    else sent.timeoutErrorMessage = this.#timeoutErrorMessage;
    if (this.#beforeRedirect) sent.beforeRedirect = this.#beforeRedirect;
    else delete sent.beforeRedirect;
  }

  finish(exchange: Exchange): AxiosResponse {
    const response = exchange.final();
    response.history = this.#history;
    const validateStatus = this.#validateStatus;
    if (!response.status || !validateStatus || validateStatus(response.status)) return response;
    // What axios's `settle` would have thrown, with the history attached to its response.
    throw new AxiosError(
      `Request failed with status code ${response.status}`,
      response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      response.config,
      response.request,
      response,
    );
  }

  /**
   * The caller's abort and timeout hold for the whole call, not per exchange: nothing more is
   * sent once the call is aborted, and each exchange gets what is left of the timeout.
   */
  #checkTimeLeft(sent: AxiosRequestConfig, ownTimeout?: number): void {
    const { config } = this;
    config.cancelToken?.throwIfRequested();
    // axios's CanceledError is (message, config, request), whatever its typings inherit.
    if (config.signal?.aborted) throw new CanceledError(undefined, config);
    if (this.#deadline === Infinity) return;
    const left = Math.ceil(this.#deadline - Date.now());
    if (left <= 0) throw this.#timeoutError();
    sent.timeout = ownTimeout ? Math.min(ownTimeout, left) : left;
    sent.timeoutErrorMessage = this.#timeoutMessage();
  }

  #timeoutMessage(): string {
    return this.#timeoutErrorMessage ?? `timeout of ${this.#timeout}ms exceeded`;
  }

  /** The error axios's adapters give when the call's timeout runs out. */
  #timeoutError(): AxiosError {
    const { config } = this;
    return new AxiosError(
      this.#timeoutMessage(),
      config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED,
      config,
    );
  }
}

/** The call was aborted, cancelled or timed out while its flow was between exchanges. */
class Interruption {
  constructor(readonly reason: unknown) {}
}

/**
 * One request/response of a flow. `raw` is the response as the adapter gave it (body not yet
 * through `transformResponse`, which axios applies to the final response itself); `seen` is what
 * the flow is resumed with.
 */
class Exchange {
  constructor(
    readonly raw: AxiosResponse,
    readonly seen: AxiosResponse,
    /** The body of a `responseType: 'stream'` response, read for a `requiresResponseBody` flow. */
    readonly streamBody?: { bytes: Uint8Array; web: boolean },
  ) {}

  /** The final response: the raw one, a stream again (of the same kind) if it was one. */
  final(): AxiosResponse {
    const { streamBody } = this;
    if (streamBody) {
      this.raw.data = streamBody.web ? webStreamOf(streamBody.bytes) : toReadable(streamBody.bytes);
    }
    return this.raw;
  }

  /** An intermediate response, kept in history: its body read and released. */
  keep(before: AxiosResponse[]): AxiosResponse {
    const { seen } = this;
    let body: unknown;
    try {
      body = seen.data;
    } catch {
      // A transform that cannot read an intermediate body (strict JSON meeting a server's HTML
      // 401 page) must not end a flow that never asked for the body: keep it as received.
      body = this.raw.data;
    }
    if (isStreamBody(body)) {
      // Nobody will read it: drain it so that the keep-alive connection can be reused.
      (body as { resume?: () => void }).resume?.();
    } else if (isWebStream(body) && !body.locked) {
      // The fetch adapter's stream: cancelling it releases the connection.
      body.cancel().catch(() => undefined);
    }
    // An own, plain `data` property, so the entry prints and serialises like any response.
    Object.defineProperty(seen, 'data', {
      value: body,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    seen.history = before.slice();
    return seen;
  }
}

/**
 * The response a flow is resumed with: the adapter's response, whose `data` goes through the
 * call's `transformResponse` only when read. Flows that look only at the status and headers
 * (Basic, Digest) never pay for parsing a body that axios will parse anyway if it is final.
 */
class FlowResponse implements AxiosResponse {
  status: number;
  statusText: string;
  headers: AxiosResponse['headers'];
  config: InternalAxiosRequestConfig;
  request?: unknown;
  history: AxiosResponse[] = [];
  readonly #raw: AxiosResponse;
  readonly #callConfig: InternalAxiosRequestConfig;
  #data: unknown;
  #transformed = false;

  constructor(raw: AxiosResponse, callConfig: InternalAxiosRequestConfig) {
    this.#raw = raw;
    this.#callConfig = callConfig;
    this.status = raw.status;
    this.statusText = raw.statusText;
    this.headers = AxiosHeaders.from(raw.headers as HeaderBag);
    this.config = raw.config;
    this.request = raw.request;
  }

  get data(): unknown {
    if (!this.#transformed) {
      this.#data = transformResponse(this.#callConfig, this.#raw);
      this.#transformed = true;
    }
    return this.#data;
  }

  set data(value: unknown) {
    this.#data = value;
    this.#transformed = true;
  }
}

/**
 * A new request a flow yielded: its adapter call records the response before any transform.
 * The client's default auth is not applied to it (`mergeConfig` put it on the config); its own
 * `auth`, when the flow gave one, runs as a flow of its own, with its own bound and history.
 */
class Subrequest {
  raw: AxiosResponse | undefined;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth | undefined,
    readonly option: unknown,
  ) {}

  async send(config: InternalAxiosRequestConfig, real: AxiosAdapter): Promise<AxiosResponse> {
    delete config.auth;
    delete (config as unknown as Record<string, unknown>)[SUBREQUEST_KEY];
    const response = this.auth
      ? await new Call(this.installation, this.auth, this.option, config, real).run()
      : withEmptyHistory(await real(config));
    this.raw = { ...response };
    return response;
  }
}

/** axios's `transformData` for a response, which axios does not export. */
function transformResponse(config: InternalAxiosRequestConfig, response: AxiosResponse): unknown {
  const transforms = config.transformResponse;
  const list =
    transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms];
  const headers = AxiosHeaders.from(response.headers as HeaderBag);
  const context = config as InternalAxiosRequestConfig & { response?: AxiosResponse };
  let data: unknown = response.data;
  context.response = response; // axios's JSON transform attaches it to a parse error
  try {
    for (const transform of list) data = transform.call(config, data, headers, response.status);
  } finally {
    delete context.response;
  }
  return data;
}

/**
 * Credentials in the URL (`https://user:pass@host/`) are taken out of what is sent, always:
 * axios's Node adapter would turn them into Basic itself (and drop our Authorization header for
 * it), and fetch refuses such URLs. They apply to the URL that goes on the wire: an absolute
 * `url` replaces the baseURL and its credentials with it (as httpx's `base_url` merge does), so
 * a baseURL's credentials never reach another origin.
 */
function takeUrlCredentials(
  config: InternalAxiosRequestConfig,
): { username: string; password: string } | undefined {
  const own = takeUserinfo(config, 'url');
  const base = takeUserinfo(config, 'baseURL');
  const baseApplies =
    !!config.baseURL && (!isAbsoluteUrl(config.url) || config.allowAbsoluteUrls === false);
  return baseApplies ? base : own;
}

/** Remove `user:pass@` from `config[key]`, returning the decoded credentials. */
function takeUserinfo(
  config: InternalAxiosRequestConfig,
  key: 'url' | 'baseURL',
): { username: string; password: string } | undefined {
  const value = config[key];
  if (typeof value !== 'string' || !value.includes('@')) return undefined;
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(value);
  if (!scheme) return undefined;
  // The authority ends at the first '/', '?', '#' or '\\'; userinfo ends at its last '@', as
  // in WHATWG URL parsing (an unencoded '@' in a password belongs to the password).
  const start = scheme[0].length;
  const rest = value.slice(start).search(/[/?#\\]/);
  const end = rest === -1 ? value.length : start + rest;
  const at = value.lastIndexOf('@', end - 1);
  if (at < start) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // not a URL axios can send either; axios reports it
  }
  config[key] = value.slice(0, start) + value.slice(at + 1);
  try {
    return {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  } catch {
    // Never echo the value: it is a credential.
    throw new TypeError(
      'axios-auth-flow: the credentials in the URL are not valid percent-encoding',
    );
  }
}

/** axios's `isAbsoluteURL`: a scheme followed by `//`, or a protocol-relative `//`. */
function isAbsoluteUrl(url: string | undefined): boolean {
  return typeof url === 'string' && /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
}

/**
 * Redirects followed by the adapter keep the Authorization header only where httpx keeps it:
 * same scheme, host and port, or an upgrade from http to https on the same host with default
 * ports. Once dropped, it stays dropped for the rest of the chain. The caller's own
 * `beforeRedirect` still runs after this.
 */
function guardRedirects(
  sent: InternalAxiosRequestConfig,
  request: AuthRequest,
  userHook: InternalAxiosRequestConfig['beforeRedirect'],
): void {
  const authorization = sent.headers.get('Authorization');
  if (typeof authorization !== 'string') {
    if (userHook) sent.beforeRedirect = userHook;
    else delete sent.beforeRedirect;
    return;
  }
  let previous: string | undefined;
  let carried = true;
  sent.beforeRedirect = (options, responseDetails, requestDetails) => {
    const from = new URL(requestDetails?.url ?? previous ?? request.url.href);
    const to = new URL(String(options.href));
    previous = to.href;
    const headers = options.headers as Record<string, unknown> | undefined;
    if (headers) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'authorization') delete headers[name];
      }
      carried = carried && mayCarryCredentials(from, to);
      if (carried) headers.Authorization = authorization;
    }
    userHook?.(options, responseDetails, requestDetails);
  };
}

function withEmptyHistory(response: AxiosResponse): AxiosResponse {
  response.history = [];
  return response;
}

function isPlainObject(value: unknown): value is AxiosRequestConfig {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A Node stream of these bytes: the http adapter's kind of `responseType: 'stream'` body. */
function toReadable(bytes: Uint8Array): unknown {
  const { Readable } = nodeModule<typeof import('node:stream')>('node:stream');
  return Readable.from([asBuffer(bytes)], { objectMode: false });
}
