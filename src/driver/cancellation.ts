/**
 * The caller's abort signal, cancel token and timeout hold for a whole call, not per exchange:
 * nothing more is sent once the call is aborted, each exchange gets what is left of the timeout,
 * and a flow that waits between exchanges (a lock, a refresh another call runs, Digest's cold
 * calls waiting for a challenge) stops waiting when the call ends. One race serves all of them.
 */
import { AxiosError, CanceledError, isAxiosError } from 'axios';
import type { AxiosRequestConfig, InternalAxiosRequestConfig } from 'axios';

/** What can stop a call: the caller's signal and cancel token, and when its timeout runs out. */
export interface StopSources {
  readonly signal?: AxiosRequestConfig['signal'];
  readonly cancelToken?: AxiosRequestConfig['cancelToken'];
  /** `Date.now()` at which the call times out; `Infinity` for no timeout. */
  readonly deadline: number;
}

/** The error each way of stopping rejects with. */
export interface StopReasons {
  aborted(): unknown;
  cancelled(reason: unknown): unknown;
  timedOut(): unknown;
}

/**
 * `work`, unless the call stops first: then a rejection with the matching reason. Listeners and
 * the timer are removed however it settles, so a long-lived signal collects nothing.
 */
export function raceStop<T>(
  work: Promise<T>,
  stops: StopSources,
  reasons: StopReasons,
): Promise<T> {
  const { signal, cancelToken, deadline } = stops;
  if (!signal && !cancelToken && deadline === Infinity) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (reason: unknown): void => {
      cleanUp();
      reject(reason);
    };
    const onAbort = (): void => stop(reasons.aborted());
    const onCancel = (reason: unknown): void => stop(reasons.cancelled(reason));
    const cleanUp = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener?.('abort', onAbort);
      cancelToken?.unsubscribe(onCancel);
    };
    if (deadline !== Infinity) {
      timer = setTimeout(() => stop(reasons.timedOut()), Math.max(0, deadline - Date.now()));
    }
    signal?.addEventListener?.('abort', onAbort);
    cancelToken?.subscribe(onCancel);
    // Aborted before this wait began: no event will come. (A cancel token already cancelled
    // calls its listener from `subscribe` itself.)
    if (signal?.aborted) onAbort();
    work.then(
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

const outliving = new WeakSet<object>();

/**
 * Mark a request a flow builds as the flow's own, not the call's: it runs to its end whatever
 * happens to the call that sent it, and the flow gets its answer even after that call stopped
 * (OAuth2's token request, whose answer every waiting call shares). The call's signal and cancel
 * token are not given to it, and it is bounded by its own timeout (`OUTLIVING_TIMEOUT` when
 * neither it nor the instance sets one).
 */
export function outlivesCall<T extends object>(config: T): T {
  outliving.add(config);
  return config;
}

export function isOutliving(config: object): boolean {
  return outliving.has(config);
}

/** The bound of an outliving request when neither it nor the instance sets a timeout (ms). */
export const OUTLIVING_TIMEOUT = 30_000;

/** The call was aborted, cancelled or timed out while its flow was between exchanges. */
export class Interruption {
  constructor(readonly reason: unknown) {}
}

/** One call's stop sources, fixed when the call starts, and the errors axios gives for them. */
export class CallDeadline implements StopSources {
  readonly signal: AxiosRequestConfig['signal'];
  readonly cancelToken: AxiosRequestConfig['cancelToken'];
  readonly deadline: number;
  readonly #config: InternalAxiosRequestConfig;
  readonly #message: string;

  constructor(
    config: InternalAxiosRequestConfig,
    timeout: number,
    timeoutErrorMessage?: string,
    /** `Date.now()` when the call started, if it started before this deadline was made. */
    startedAt?: number,
  ) {
    this.#config = config;
    this.signal = config.signal;
    this.cancelToken = config.cancelToken;
    this.#message = timeoutErrorMessage ?? `timeout of ${timeout}ms exceeded`;
    this.deadline = deadlineOf(timeout, startedAt);
  }

  /**
   * Before an exchange: throws axios's usual error when the call is already over, else gives
   * `sent` what is left of the timeout (or its own, shorter, timeout).
   */
  checkTimeLeft(sent: AxiosRequestConfig, ownTimeout?: number): void {
    this.throwIfStopped();
    if (this.deadline === Infinity) return;
    const left = Math.ceil(this.deadline - Date.now());
    if (left <= 0) throw this.timeoutError();
    sent.timeout = ownTimeout ? Math.min(ownTimeout, left) : left;
    sent.timeoutErrorMessage = this.#message;
  }

  /** Throws axios's usual error when the call was aborted, cancelled or is out of time. */
  throwIfStopped(): void {
    this.cancelToken?.throwIfRequested();
    // axios's CanceledError is (message, config, request), whatever its typings inherit.
    if (this.signal?.aborted) throw new CanceledError(undefined, this.#config);
    if (Date.now() >= this.deadline) throw this.timeoutError();
  }

  /**
   * An exchange's timeout error in the call's words. An exchange runs with what is left of the
   * call's timeout; axios's fetch adapter words its error from that number and ignores
   * `timeoutErrorMessage`, which would name a timeout the caller never set.
   */
  asCallTimeout(error: unknown): unknown {
    if (
      this.deadline !== Infinity &&
      isAxiosError(error) &&
      /^timeout of \d+ms exceeded$/.test(error.message)
    ) {
      error.message = this.#message;
    }
    return error;
  }

  /** The error axios's adapters give when the call's timeout runs out. */
  timeoutError(): AxiosError {
    return timeoutError(this.#config, this.#message);
  }

  /** A flow step the call waits on, unless the call stops first (then an `Interruption`). */
  unlessInterrupted<T>(step: Promise<T>): Promise<T> {
    return raceStop(step, this, {
      aborted: () => new Interruption(new CanceledError(undefined, this.#config)),
      cancelled: (reason) => new Interruption(reason),
      timedOut: () => new Interruption(this.timeoutError()),
    });
  }
}

/**
 * The stop sources of a request a flow is looking at (a flow has no `CallDeadline`). The call's
 * timeout runs from `startedAt` when the call started earlier (see `answerOnce`), else from now.
 */
export function stopSourcesOf(config: AxiosRequestConfig, startedAt = 0): StopSources {
  const { signal, cancelToken, timeout } = config;
  return { signal, cancelToken, deadline: deadlineOf(timeout, startedAt) };
}

/** `Date.now()` at which a timeout started at `startedAt` (0: now) runs out; none: `Infinity`. */
function deadlineOf(timeout: number | undefined, startedAt = 0): number {
  return timeout ? (startedAt || Date.now()) + timeout : Infinity;
}

/**
 * Whether a call is over already: aborted, cancelled, or within `slack` ms of its deadline
 * (timers may fire a little early, so a flow deciding what to send next allows for that).
 */
export function hasStopped(stops: StopSources, slack = 0): boolean {
  if (stops.signal?.aborted || stops.cancelToken?.reason) return true;
  return Date.now() >= stops.deadline - slack;
}

/** A timer as a promise that can be cleared, so a finished wait leaves no timer behind. */
export function delay(ms: number): { promise: Promise<void>; clear: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { promise, clear: () => clearTimeout(timer) };
}

/** The error axios's adapters give when a request's timeout runs out. */
export function timeoutError(config: InternalAxiosRequestConfig, message: string): AxiosError {
  const code = config.transitional?.clarifyTimeoutError
    ? AxiosError.ETIMEDOUT
    : AxiosError.ECONNABORTED;
  return new AxiosError(message, code, config);
}
