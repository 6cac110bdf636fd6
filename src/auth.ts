/**
 * `Auth`: the one abstraction every scheme is written against, as in httpx.
 *
 * A flow is a generator: it yields a request, is resumed with the response, and may yield again.
 * The flow does no I/O; the driver (`driver/call.ts`) sends what it yields through axios. That is why
 * one flow serves every adapter and why a test can drive a flow by hand with `next()`.
 */
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import type { AuthOption } from './auth-option.js';
import type { AuthRequest } from './request.js';
import { inspectSymbol } from './util/redaction.js';

/**
 * What a flow yields: the request it was given (changed or not), a clone of it, or a plain axios
 * request config for a new request (a token refresh, say), sent through the same instance.
 */
export type FlowRequest =
  | AuthRequest
  | (Omit<AxiosRequestConfig, 'auth'> & {
      /** Its own auth, applied to it alone (a token endpoint's client credentials); null: none. */
      auth?: AuthOption | null | undefined;
    });

/**
 * @internal Asked by the driver before `asyncAuthFlow`: a scheme whose async flow only waits in
 * some cases (Digest's cold calls wait for the first call's challenge, OAuth2 a token request)
 * returns a flow whose steps are plain values when there is nothing to wait for, so the call is
 * stepped without an async generator and its promise hops. A registered symbol: both builds of
 * the package agree on it.
 */
export const syncFlowWhenReady: unique symbol = Symbol.for(
  'axios-auth-flow.syncFlowWhenReady',
) as never;

/**
 * @internal Implemented by a scheme whose whole flow is "authenticate the request, send it,
 * done" (Basic, a Bearer token, a function): it authenticates `request` and returns the request
 * to send (or a promise of it). The driver then sends that as the call's one exchange, without
 * stepping a generator: the hottest calls cost what a request interceptor costs. It returns
 * undefined when this instance's flow is not that one (a subclass overrode `authFlow`), and the
 * driver runs the flow as usual. A registered symbol: both builds of the package agree on it.
 */
export const authorizeOnce: unique symbol = Symbol.for('axios-auth-flow.authorizeOnce') as never;

/**
 * @internal Set by a scheme that adds only headers that are always credentials: `Authorization`
 * (Basic, Bearer, Digest, OAuth2), and `Cookie` on Digest's retry. The driver then need not
 * compare the request with the headers it started with to find what the auth added, as it must
 * for a function. A registered symbol, so that it holds across the two builds; a scheme
 * without it gets the comparison.
 */
export const setsOnlyAuthorization: unique symbol = Symbol.for(
  'axios-auth-flow.setsOnlyAuthorization',
) as never;

/**
 * @internal `authorizeOnce` for a scheme that must see the answer (Digest, OAuth2): it
 * authorizes `request` when it can without waiting (a warm call: the challenge known, a fresh
 * token at hand) and returns it, else undefined (the flow runs as usual). The driver sends it as
 * the call's one exchange and shows the response to `answerOnce`. A symbol of its own, not
 * `authorizeOnce`: a driver that knows only that one (an older copy of the package in the same
 * process) must run these schemes' flows, not send their requests and stop. Registered, as
 * above.
 */
export const authorizeChecked: unique symbol = Symbol.for(
  'axios-auth-flow.authorizeChecked',
) as never;

/**
 * @internal The other half of `authorizeChecked`: called with the response to the request it
 * authorized (as the adapter gave it), it returns undefined when that response is the call's
 * answer (the scheme has taken what it needs from it, a `nextnonce` say), or the rest of the flow
 * when it is not (a 401 with a new challenge, a refused token): a flow that has yielded that
 * request and waits for its response, which the driver gives it. `startedAt` is `Date.now()`
 * when the call started (0 when it has no timeout), for a flow that reads the call's deadline
 * (`stopSourcesOf`). A warm call then costs one adapter call and no generator. Registered, as
 * above.
 */
export const answerOnce: unique symbol = Symbol.for('axios-auth-flow.answerOnce') as never;

/** A synchronous auth flow: `const response = yield request`. */
export type AuthFlow = Generator<FlowRequest, void, AxiosResponse>;

/** An asynchronous auth flow, for flows that need I/O or locks between exchanges. */
export type AsyncAuthFlow = AsyncGenerator<FlowRequest, void, AxiosResponse>;

/**
 * @internal What the driver steps: either kind of flow, or one whose steps are each a plain
 * result or a promise of one (a warm step that waits for nothing, then I/O if it comes to that).
 */
export interface SteppedFlow {
  next(
    response?: AxiosResponse,
  ): IteratorResult<FlowRequest, void> | Promise<IteratorResult<FlowRequest, void>>;
  return(
    value: undefined,
  ): IteratorResult<FlowRequest, void> | Promise<IteratorResult<FlowRequest, void>>;
}

/**
 * Base class of every authentication scheme.
 *
 * Override `authFlow` (a plain generator, no I/O). Override `asyncAuthFlow` instead when the flow
 * must await something other than HTTP exchanges (a token cache on disk, a lock around a refresh);
 * the driver always runs `asyncAuthFlow`, whose default runs `authFlow`. (When a class does not
 * override `asyncAuthFlow`, the driver steps `authFlow` itself: the same exchanges, fewer promise
 * hops on every call.)
 *
 * @example
 * class TokenAuth extends Auth {
 *   constructor(private token: string) { super(); }
 *   *authFlow(request: AuthRequest): AuthFlow {
 *     request.headers.set('X-Authentication', this.token);
 *     yield request;
 *   }
 * }
 */
export class Auth {
  /** Set to true when the flow reads `request.content`: the body is read into bytes first. */
  readonly requiresRequestBody: boolean = false;
  /**
   * Set to true when the flow reads response bodies: a `responseType: 'stream'` body is read into
   * a Buffer for the flow, and the caller still gets a stream of the whole body.
   */
  readonly requiresResponseBody: boolean = false;

  /** @internal See `syncFlowWhenReady`. */
  [syncFlowWhenReady]?(request: AuthRequest): SteppedFlow | undefined;

  /** @internal See `authorizeOnce`. */
  [authorizeOnce]?(request: AuthRequest): AuthRequest | Promise<AuthRequest> | undefined;

  /** @internal See `authorizeChecked`. */
  [authorizeChecked]?(request: AuthRequest): AuthRequest | undefined;

  /** @internal See `setsOnlyAuthorization`. */
  readonly [setsOnlyAuthorization]?: boolean;

  /** @internal See `answerOnce`. */
  [answerOnce]?(
    request: AuthRequest,
    response: AxiosResponse,
    startedAt: number,
  ): SteppedFlow | undefined;

  /** The flow. The default sends the request unchanged. */
  *authFlow(request: AuthRequest): AuthFlow {
    yield request;
  }

  /** The flow the driver runs. The default delegates to `authFlow`. */
  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator by contract: subclasses await in theirs
  async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    yield* this.authFlow(request);
  }

  /** Never print a credential: subclasses list only what is safe to show. */
  [inspectSymbol](): string {
    return `${this.constructor.name} {}`;
  }

  toJSON(): Record<string, unknown> {
    return { type: this.constructor.name };
  }

  /**
   * `instanceof Auth` holds for an auth object of either build of this package: an app that
   * imports the ESM build and a library that requires the CommonJS one each get their own `Auth`
   * class, and their objects must still be accepted by the other's `withAuth`.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== Auth) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && AUTH_BRAND in value;
  }
}

/** Marks auth objects across the ESM and CommonJS builds (a registered symbol is shared). */
const AUTH_BRAND = Symbol.for('axios-auth-flow.Auth');

Object.defineProperty(Auth.prototype, AUTH_BRAND, { value: true });

/**
 * axios's own Basic handling reads `username` and `password` off the `auth` option. An auth
 * object only gets there on an instance without the driver (`withAuth` was not called), where it
 * would silently send `Basic username:` and get a 401. Reading `password` fails instead, with
 * the fix in the message. Defined outside the class body so that subclasses stay free to have a
 * `password` field of their own.
 */
Object.defineProperty(Auth.prototype, 'password', {
  configurable: true,
  enumerable: false,
  // `this.password = ...` in a subclass (what TypeScript emits for a `private password`
  // parameter property below ES2022) makes an ordinary own property, as if this were not here.
  set(this: Auth, value: unknown) {
    Object.defineProperty(this, 'password', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  },
  get(this: Auth): never {
    throw new TypeError(
      `axios-auth-flow: a ${this.constructor.name} reached axios's own \`auth\` handling, so this ` +
        'axios instance has no auth driver: call withAuth(instance) once before using it',
    );
  },
});

/** A function that authenticates a request, httpx's "callable" auth. */
export type AuthFunction = (request: AuthRequest) => AuthRequest | Promise<AuthRequest>;

/**
 * Wraps an `AuthFunction` as an `Auth`: the function's result is sent, once (httpx's
 * `FunctionAuth`). Both flows call the function, so a flow driven by hand through `authFlow`
 * authenticates as the driver's `asyncAuthFlow` does; only `asyncAuthFlow` can await an async
 * function.
 */
export class FunctionAuth extends Auth {
  readonly #fn: AuthFunction;

  constructor(fn: AuthFunction) {
    super();
    if (typeof fn !== 'function') {
      throw new TypeError('FunctionAuth takes a function (request) => request');
    }
    this.#fn = fn;
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    const result = this.#fn(request);
    if (result instanceof Promise) {
      // httpx's RuntimeError convention: say which flow to drive instead of yielding a promise.
      result.catch(() => undefined); // its outcome is nobody's now: no unhandled rejection
      throw new TypeError(
        'the auth function returned a promise, which the synchronous authFlow cannot await: ' +
          'drive asyncAuthFlow (as withAuth does)',
      );
    }
    yield checkedResult(result);
  }

  override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    yield checkedResult(await this.#fn(request));
  }

  override [authorizeOnce](request: AuthRequest): AuthRequest | Promise<AuthRequest> | undefined {
    // The driver runs `asyncAuthFlow`: a subclass with its own runs that.
    if (this.asyncAuthFlow !== FunctionAuth.prototype.asyncAuthFlow) return undefined;
    const result = this.#fn(request);
    return result instanceof Promise ? result.then(checkedResult) : checkedResult(result);
  }
}

function checkedResult(result: AuthRequest | null | undefined): AuthRequest {
  if (result === undefined || result === null) {
    throw new TypeError(
      'the auth function returned nothing: it must return the request it was given (or another AuthRequest)',
    );
  }
  return result;
}
