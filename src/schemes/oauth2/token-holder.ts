/**
 * The token one `OAuth2Auth` holds, and the single flight of its refresh.
 *
 * However many calls find the token missing, expiring or refused at once, one of them (the
 * sender) sends the token request and the others wait for its outcome: the new token, or the
 * `OAuth2Error` that every one of them then rejects with. A refresh is asked for against the
 * token a call used: when that token is no longer the current one, another call already replaced
 * it and the call simply uses the newer one. A failed refresh leaves the last good token in place.
 *
 * A sender whose own call stops before the answer comes (aborted before sending, timed out)
 * hands the refresh over: a waiting call becomes the sender. Nothing here does I/O except the
 * `store`, and nothing here sends: the flow (`oauth2-auth.ts`) yields the token request.
 */
import type { OAuth2Token } from './token.js';
import { checkedToken } from './token.js';

/**
 * Where tokens live between runs (a file, a keychain, a database). Both methods may be async.
 *
 * @example
 * { get: () => JSON.parse(fs.readFileSync(path, 'utf8')), set: (token) => fs.writeFileSync(path, JSON.stringify(token)) }
 */
export interface OAuth2TokenStore {
  /** The saved token, read once, on first use; `undefined` or `null` when there is none. */
  get(): OAuth2Token | undefined | null | Promise<OAuth2Token | undefined | null>;
  /** Save a new token; called once per new token, before the calls that waited for it go on. */
  set(token: OAuth2Token): void | Promise<void>;
}

/** What a call that needs a new token does next. */
export type Turn =
  /** Another call already replaced the token: use this one. */
  | { readonly token: OAuth2Token }
  /** A refresh is under way: wait for it (`undefined` means its sender left: ask again). */
  | { readonly wait: Promise<OAuth2Token | undefined> }
  /** Send the token request, then settle `refresh`. */
  | { readonly send: Refresh };

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting when a refresh fails; the sender reports the failure itself.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** One refresh, in terms: each sender that takes it over starts a new term. */
export class Refresh {
  #term: Deferred<OAuth2Token | undefined> = deferred();
  #hasSender = true;

  get hasSender(): boolean {
    return this.#hasSender;
  }

  get outcome(): Promise<OAuth2Token | undefined> {
    return this.#term.promise;
  }

  takeOver(): void {
    this.#hasSender = true;
    this.#term = deferred();
  }

  leave(): void {
    this.#hasSender = false;
    this.#term.resolve(undefined);
  }

  succeed(token: OAuth2Token): void {
    this.#term.resolve(token);
  }

  fail(error: unknown): void {
    this.#term.reject(error);
  }
}

export class TokenHolder {
  #token: OAuth2Token | undefined;
  #loading: Promise<OAuth2Token | undefined> | undefined;
  #loaded: boolean;
  #refresh: Refresh | undefined;

  constructor(
    initial: OAuth2Token | undefined,
    private readonly store: OAuth2TokenStore | undefined,
    /** Whether a token can still be sent (not within the refresh margin of its expiry). */
    private readonly isFresh: (token: OAuth2Token) => boolean,
  ) {
    this.#token = initial;
    this.#loaded = store === undefined;
  }

  /** The current token, if any. */
  get current(): OAuth2Token | undefined {
    return this.#token;
  }

  /** The current token, read from the store on first use (one read however many calls ask). */
  load(): OAuth2Token | undefined | Promise<OAuth2Token | undefined> {
    if (this.#loaded || !this.store) return this.#token;
    if (this.#loading) return this.#loading;
    const loading = this.#read(this.store);
    this.#loading = loading;
    // A failed read is tried again by the next call. (Cleared once settled, not in a `finally`
    // inside the read: a `get()` that throws synchronously would run that first, and the
    // rejected read would then stay here for good.)
    const settled = (): void => {
      if (this.#loading === loading) this.#loading = undefined;
    };
    loading.then(settled, settled);
    return loading;
  }

  async #read(store: OAuth2TokenStore): Promise<OAuth2Token | undefined> {
    const saved = checkedToken(await store.get(), 'from store.get()');
    // The store holds what the last run saved, newer than a token given in the options.
    if (saved) this.#token = saved;
    this.#loaded = true;
    return this.#token;
  }

  /** What a call that found `stale` unusable (expiring, or refused with a 401) does next. */
  enter(stale: OAuth2Token | undefined): Turn {
    const refresh = this.#refresh;
    if (refresh) {
      if (refresh.hasSender) return { wait: refresh.outcome };
      refresh.takeOver();
      return { send: refresh };
    }
    const current = this.#token;
    if (current && current !== stale && this.isFresh(current)) return { token: current };
    this.#refresh = new Refresh();
    return { send: this.#refresh };
  }

  /**
   * The refresh brought `token`: it is current at once, saved, and then handed to the waiting
   * calls. The refresh stays under way until the store has it, so saves never overlap.
   */
  async succeed(refresh: Refresh, token: OAuth2Token): Promise<void> {
    this.#token = token;
    try {
      await this.store?.set(token);
      refresh.succeed(token);
    } catch (error) {
      // The token is good and stays current; the calls learn that it could not be saved.
      refresh.fail(error);
      throw error;
    } finally {
      if (this.#refresh === refresh) this.#refresh = undefined;
    }
  }

  /** The refresh failed: every waiting call gets `error`; the last good token stays. */
  fail(refresh: Refresh, error: unknown): void {
    if (this.#refresh === refresh) this.#refresh = undefined;
    refresh.fail(error);
  }

  /** The sender's call stopped before the answer: a waiting (or the next) call takes over. */
  leave(refresh: Refresh): void {
    refresh.leave();
  }
}
