/**
 * Bearer tokens (RFC 6750 §2.1): `Authorization: Bearer <token>` on every request, from a fixed
 * token or from a function asked once per call (sync or async), for tokens that something else
 * keeps fresh. For tokens this package should obtain and renew itself, see `OAuth2Auth`.
 */
import {
  Auth,
  authorizeOnce,
  setsOnlyAuthorization,
  type AsyncAuthFlow,
  type AuthFlow,
} from '../auth.js';
import type { AuthRequest } from '../request.js';
import { REDACTED, inspectSymbol } from '../util/redaction.js';

/** What `BearerAuth` takes: the token, or a function that returns the current one. */
export type BearerToken = string | (() => string | Promise<string>);

export class BearerAuth extends Auth {
  /** @internal It adds `Authorization` alone (see `setsOnlyAuthorization`). */
  override readonly [setsOnlyAuthorization] = true;
  readonly #token: BearerToken;
  /** A fixed token's header value, checked and built once. */
  readonly #authorization: string | undefined;

  /**
   * @example new BearerAuth(process.env.API_TOKEN)
   * @example new BearerAuth(() => session.accessToken)
   * @example new BearerAuth(async () => (await vault.read('api')).token)
   */
  constructor(token: BearerToken) {
    super();
    if (typeof token === 'string') {
      checkToken(token);
      this.#authorization = `Bearer ${token}`;
    } else if (typeof token !== 'function') {
      throw new TypeError('BearerAuth takes a token string or a function that returns one');
    }
    this.#token = token;
    if (typeof token === 'function') {
      // Only a function may return a promise. A fixed token leaves `asyncAuthFlow` inherited,
      // so the driver steps the plain generator with no promise hop per call.
      this.asyncAuthFlow = this.#asyncFlow;
    }
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    if (this.#authorization !== undefined) {
      request.headers.set('Authorization', this.#authorization);
      yield request;
      return;
    }
    const token = (this.#token as () => string | Promise<string>)();
    if (typeof token !== 'string') {
      // httpx's RuntimeError convention: say which flow to drive instead of yielding a promise.
      Promise.resolve(token).catch(() => undefined);
      throw new TypeError(
        'the BearerAuth token function returned a promise, which the synchronous authFlow ' +
          'cannot await: drive asyncAuthFlow (as withAuth does)',
      );
    }
    yield bearer(request, token);
  }

  /** Set only for a token function (a fixed token keeps the inherited, synchronous driving). */
  async *#asyncFlow(request: AuthRequest): AsyncAuthFlow {
    yield bearer(request, await (this.#token as () => string | Promise<string>)());
  }

  override [authorizeOnce](request: AuthRequest): AuthRequest | Promise<AuthRequest> | undefined {
    // A subclass with its own flow runs that flow.
    if (this.authFlow !== BearerAuth.prototype.authFlow) return undefined;
    const authorization = this.#authorization;
    if (authorization !== undefined) {
      if (this.asyncAuthFlow !== Auth.prototype.asyncAuthFlow) return undefined;
      request.headers.set('Authorization', authorization);
      return request;
    }
    if (this.asyncAuthFlow !== this.#asyncFlow) return undefined;
    // No fixed header: the token is a function, asked once per call.
    const current = (this.#token as () => string | Promise<string>)();
    return current instanceof Promise
      ? current.then((value) => bearer(request, value))
      : bearer(request, current);
  }

  override [inspectSymbol](): string {
    return `BearerAuth { token: '${REDACTED}' }`;
  }

  override toJSON(): Record<string, unknown> {
    return { type: 'BearerAuth', token: REDACTED };
  }
}

function bearer(request: AuthRequest, token: unknown): AuthRequest {
  checkToken(token);
  request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

/** A token goes in a header: it must be there and must not split the header line. */
function checkToken(token: unknown): asserts token is string {
  // Never quote the token: it is a credential.
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('BearerAuth: the token must be a non-empty string');
  }
  // RFC 6750 §2.1's b64token is printable ASCII; so is anything a header line can carry as is.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError(
      'BearerAuth: the token contains whitespace, a control character or a non-ASCII character',
    );
  }
}
