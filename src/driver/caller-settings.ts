/**
 * What the caller set on a call's config that the driver overwrites for each exchange
 * (validateStatus, timeout, beforeRedirect, auth). The call's config is sent in place, not
 * copied per exchange; once the adapter is done with it these are put back, so the `config` of
 * every response and error is the one the caller made, and `axios(error.config)` retries with
 * their validateStatus, timeout, redirect hook and auth, not the driver's.
 */
import type { InternalAxiosRequestConfig } from 'axios';

export class CallerSettings {
  readonly validateStatus: InternalAxiosRequestConfig['validateStatus'];
  readonly timeout: number;
  readonly timeoutErrorMessage: string | undefined;
  readonly beforeRedirect: InternalAxiosRequestConfig['beforeRedirect'];

  constructor(
    config: InternalAxiosRequestConfig,
    /** The `auth` option as the caller gave it (the driver takes it off the config). */
    readonly auth: unknown,
  ) {
    this.validateStatus = config.validateStatus;
    this.timeout = config.timeout ?? 0;
    this.timeoutErrorMessage = config.timeoutErrorMessage;
    this.beforeRedirect = config.beforeRedirect;
  }

  /**
   * Put them back on a sent config. The adapter has read the config by the time its promise
   * settles (axios's `settle` ran, the timer and redirect hooks were installed).
   */
  restore(sent: InternalAxiosRequestConfig): void {
    (sent as { auth?: unknown }).auth = this.auth;
    putBack(sent, 'validateStatus', this.validateStatus);
    sent.timeout = this.timeout;
    putBack(sent, 'timeoutErrorMessage', this.timeoutErrorMessage);
    putBack(sent, 'beforeRedirect', this.beforeRedirect); // `sendGuarded`'s guard was there
  }
}

/** Set `key` back to `value`, or remove it when the caller had not set it. */
export function putBack<K extends keyof InternalAxiosRequestConfig>(
  config: InternalAxiosRequestConfig,
  key: K,
  value: InternalAxiosRequestConfig[K] | undefined,
): void {
  if (value === undefined) delete config[key];
  else config[key] = value;
}
