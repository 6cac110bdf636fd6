/**
 * Every error axios-auth-flow raises itself, in one hierarchy under `AxiosAuthFlowError`.
 * Transport and HTTP-status failures stay axios's own `AxiosError`/`CanceledError`, so existing
 * `catch` blocks and `axios.isAxiosError` keep working. No message built here ever contains a
 * credential, a digest, a token or an Authorization value.
 *
 * `instanceof` works across the package's two builds: an app that imports the ESM build and a
 * library that requires the CommonJS one each have their own classes, and an error thrown by one
 * must still match the other's class. Each class names its kind (`static kind`); an error lists
 * the kinds of its class chain under a registered symbol (shared by both builds), and
 * `instanceof` falls back to that list.
 */

/** A registered symbol: the ESM and CommonJS builds see the same one. */
const ERROR_KINDS = Symbol.for('axios-auth-flow.error-kinds');

/** The base of every error this package raises. */
export class AxiosAuthFlowError extends Error {
  /** The class's own kind, stable under minification (a class's `name` is not). */
  static readonly kind: string = 'AxiosAuthFlowError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // Only our own classes match by kind: a user's subclass inherits `kind` but is its own type.
    if (!Object.hasOwn(this, 'kind')) return false;
    const kinds = (value as { [ERROR_KINDS]?: unknown } | null | undefined)?.[ERROR_KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  /**
   * The kinds of this error's class and of its ancestors, read by the other build's
   * `instanceof`. A getter rather than a property set on each prototype: a statement after each
   * class would be a side effect to bundlers, which would then keep every error class (NetRC's
   * in a browser bundle) whether it is imported or not.
   */
  get [ERROR_KINDS](): string[] {
    const kinds: string[] = [];
    let cls: unknown = this.constructor;
    while (typeof cls === 'function' && cls !== Error) {
      if (Object.hasOwn(cls, 'kind')) kinds.push((cls as unknown as { kind: string }).kind);
      cls = Object.getPrototypeOf(cls);
    }
    return kinds;
  }
}

/** An auth flow misbehaved: it yielded nothing, yielded something that is not a request, or looped. */
export class AuthFlowError extends AxiosAuthFlowError {
  static override readonly kind: string = 'AuthFlowError';
  override readonly name: string = 'AuthFlowError';
}

/**
 * A `WWW-Authenticate` (or `Authentication-Info`) value that does not follow RFC 9110's grammar.
 * The message names the problem and its position, never the header's text (it can carry a
 * nonce or an opaque value that does not belong in logs).
 */
export class ChallengeParseError extends AxiosAuthFlowError {
  static override readonly kind: string = 'ChallengeParseError';
  override readonly name: string = 'ChallengeParseError';

  constructor(
    message: string,
    /** Where in the header value (0-based) the problem was found. */
    readonly position: number,
  ) {
    super(message);
  }
}

/** Why a Digest challenge could not be answered. */
export type DigestAuthErrorCode =
  'unsupported-algorithm' | 'unsupported-qop' | 'missing-realm' | 'missing-nonce' | 'too-large';

/**
 * A Digest challenge that cannot be answered: an algorithm or qop this library does not know,
 * a challenge without realm or nonce, or one whose values are too large to echo. Nothing is
 * sent for it; the same `DigestAuth` keeps working for other requests.
 */
export class DigestAuthError extends AxiosAuthFlowError {
  static override readonly kind: string = 'DigestAuthError';
  override readonly name: string = 'DigestAuthError';

  constructor(
    message: string,
    readonly code: DigestAuthErrorCode,
  ) {
    super(message);
  }
}

/**
 * A netrc file could not be used: missing, unreadable, not a regular file, too large, too open
 * (the default `~/.netrc` only, as Python checks it) or holding credentials that Basic cannot
 * carry. Raised when the `NetRCAuth` is made, never on a request. `file` is the path; `code` is
 * the system error code when there is one (`ENOENT`, `EACCES`, `EISDIR`). The message names the
 * file and never quotes its content.
 */
export class NetrcError extends AxiosAuthFlowError {
  static override readonly kind: string = 'NetrcError';
  override readonly name: string = 'NetrcError';
  readonly file: string;
  readonly code: string | undefined;

  constructor(message: string, file: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = file;
    this.code = options.code;
  }
}

/**
 * A netrc file does not follow the grammar. `line` is where the offending token starts. The
 * token itself is never quoted: a stray word in a netrc file is often half of a password that
 * lacked quotes around a space.
 */
export class NetrcParseError extends NetrcError {
  static override readonly kind: string = 'NetrcParseError';
  override readonly name: string = 'NetrcParseError';
  readonly line: number;

  constructor(problem: string, file: string, line: number) {
    super(`netrc file ${file}, line ${line}: ${problem}`, file);
    this.line = line;
  }
}

/** What an OAuth 2.0 token endpoint said, as far as it said anything (RFC 6749 §5.2). */
export interface OAuth2ErrorDetails {
  /** The `error` code of a §5.2 error answer (`invalid_grant`, `invalid_client`, ...). */
  error?: string | undefined;
  /** The answer's `error_description`: text for a developer, not for end users. */
  errorDescription?: string | undefined;
  /** The answer's `error_uri`. */
  errorUri?: string | undefined;
  /** The HTTP status of the token endpoint's answer; `undefined` when there was no answer. */
  status?: number | undefined;
  /** The token endpoint's responses behind this error, oldest first. */
  history?: readonly import('axios').AxiosResponse[];
}

/**
 * An OAuth 2.0 token request failed: an error answer (RFC 6749 §5.2), an answer that is not a
 * Bearer token (HTML, a 200 without `access_token`, another `token_type`), or no answer at all.
 * One refresh serves every call that waited for it, so every one of them rejects with this same
 * object. The message names the token endpoint, the status and the error code; it never holds a
 * client secret, a refresh token or an access token. `history` holds the token endpoint's
 * responses; it is not enumerable, so printing the error does not print their bodies.
 */
export class OAuth2Error extends AxiosAuthFlowError {
  static override readonly kind: string = 'OAuth2Error';
  override readonly name: string = 'OAuth2Error';
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  readonly status: number | undefined;
  declare readonly history: readonly import('axios').AxiosResponse[];

  constructor(message: string, details: OAuth2ErrorDetails = {}) {
    super(message);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = details.status;
    Object.defineProperty(this, 'history', { value: details.history ?? [], enumerable: false });
    // One error rejects every call that waited for the same refresh, and axios's
    // `Axios.prototype.request` appends its caller's frames to `stack` on each rejection: the
    // stack would grow by one trace per waiting call (1000 calls, 1000 traces, quadratic time).
    // The stack stays the one of the place the token answer was read.
    const stack = this.stack;
    Object.defineProperty(this, 'stack', {
      get: () => stack,
      set: () => undefined,
      enumerable: false,
      configurable: true,
    });
  }
}
