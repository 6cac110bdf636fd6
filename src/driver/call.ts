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
 *   instance's pipeline (`sendNew`, through a `Subrequest`).
 */
import { AxiosError, AxiosHeaders } from 'axios';
import type {
  AxiosAdapter,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';
import { Auth, type FlowRequest } from '../auth.js';
import { toAuth } from '../auth-option.js';
import { AuthFlowError } from '../errors.js';
import {
  asBuffer,
  isStreamBody,
  isWebStream,
  readStream,
  readWebStream,
} from '../http/body.js';
import type { HeaderBag } from '../http/headers.js';
import { AuthRequest, isPrepared, preparedRequest } from '../request.js';
import { describeValue } from '../util/describe.js';
import { CallDeadline, Interruption } from './cancellation.js';
import { CallerSettings } from './caller-settings.js';
import { Exchange, FlowResponse } from './exchange.js';
import type { Installation } from './install.js';
import { guardRedirects } from './redirects.js';
import { SUBREQUEST_KEY, Subrequest } from './subrequest.js';

export class Call {
  readonly #history: AxiosResponse[] = [];
  readonly #caller: CallerSettings;
  readonly #deadline: CallDeadline;
  /** Stream bodies already sent once: a stream cannot be sent twice. */
  #sentStreams: WeakSet<object> | undefined;
  #requests = 0;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth,
    /** The `auth` option the caller gave (kept on the config users see). */
    authOption: unknown,
    readonly config: InternalAxiosRequestConfig,
    /** The adapter the instance would have used: mock, http, fetch or xhr. */
    readonly adapter: AxiosAdapter,
  ) {
    this.#caller = new CallerSettings(config, authOption);
    this.#deadline = new CallDeadline(
      config,
      this.#caller.timeout,
      this.#caller.timeoutErrorMessage,
    );
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
      step = first instanceof Promise ? await this.#deadline.unlessInterrupted(first) : first;
      if (step.done) {
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
      // Close the flow however the call ends, so its `finally` blocks run. A flow interrupted
      // while it awaits (a lock, I/O) is still running: `return()` waits for that step, so it is
      // not awaited here; the call rejects now, and whatever the step yields is never sent.
      if (interrupted) {
        const closing = flow.return(undefined);
        if (closing instanceof Promise) closing.catch(() => undefined);
      } else if (!step?.done) await flow.return(undefined);
    }
  }

  /** Sends one request the flow yielded, counted against the call's bound. */
  send(yielded: FlowRequest): Promise<Exchange> {
    if (++this.#requests > this.installation.maxFlowRequests) {
      throw new AuthFlowError(
        `${this.auth.constructor.name} yielded more than ${this.installation.maxFlowRequests} ` +
          'requests for one call and was stopped; raise withAuth(instance, { maxFlowRequests }) ' +
          'if the flow really needs more',
      );
    }
    if (yielded instanceof AuthRequest) {
      return isPrepared(yielded)
        ? this.sendPrepared(yielded)
        : this.sendNew(yielded.toNewConfig());
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
    delete sent.auth;
    sent.validateStatus = null;
    let response: AxiosResponse;
    try {
      this.#deadline.checkTimeLeft(sent);
      guardRedirects(sent, request, this.#caller.beforeRedirect);
      response = await this.adapter(sent);
    } finally {
      this.#caller.restore(sent);
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
    const ownAuth = yielded.auth === this.#caller.auth ? undefined : toAuth(yielded.auth);
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
    this.#deadline.checkTimeLeft(config, yielded.timeout);
    const flowResponse = await this.installation.pipeline.request<unknown>(config);
    return new Exchange(subrequest.raw ?? flowResponse, flowResponse);
  }

  /** The call's answer: the last response, with the history, checked by `validateStatus`. */
  finish(exchange: Exchange): AxiosResponse {
    const response = exchange.final();
    response.history = this.#history;
    const { validateStatus } = this.#caller;
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
}

function isPlainObject(value: unknown): value is AxiosRequestConfig {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
