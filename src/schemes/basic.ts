/**
 * HTTP Basic authentication (RFC 7617), sent on the first request: no round trip is spent on a
 * challenge. Credentials are encoded as UTF-8 (the `charset="UTF-8"` of RFC 7617 §2.1), which
 * is what httpx, curl and browsers send. The header is computed once, when the auth is made.
 */
import { Auth, authorizeOnce, setsOnlyAuthorization, type AuthFlow } from '../auth.js';
import { basicCanCarry, readCredentials, type CredentialsArgs } from './credentials.js';
import { base64Utf8 } from '../util/encoding.js';
import { REDACTED, inspectSymbol } from '../util/redaction.js';
import type { AuthRequest } from '../request.js';

export class BasicAuth extends Auth {
  /** @internal It adds `Authorization` alone (see `setsOnlyAuthorization`). */
  override readonly [setsOnlyAuthorization] = true;
  readonly username: string;
  readonly #authorization: string;

  /**
   * @example new BasicAuth('finley', 'secret')
   * @example new BasicAuth({ username: 'finley', password: 'secret' })
   */
  constructor(username: string, password: string);
  constructor(credentials: { username: string; password: string });
  constructor(...args: CredentialsArgs) {
    super();
    const { username, password } = readCredentials('BasicAuth', args);
    if (!basicCanCarry(username)) {
      throw new TypeError('BasicAuth: the username contains ":", which Basic cannot carry');
    }
    this.username = username;
    this.#authorization = basicAuthorization(username, password);
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    yield this.#authorize(request);
  }

  #authorize(request: AuthRequest): AuthRequest {
    request.headers.set('Authorization', this.#authorization);
    return request;
  }

  override [authorizeOnce](request: AuthRequest): AuthRequest | undefined {
    // A subclass with its own flow runs that flow.
    if (
      this.authFlow !== BasicAuth.prototype.authFlow ||
      this.asyncAuthFlow !== Auth.prototype.asyncAuthFlow
    ) {
      return undefined;
    }
    return this.#authorize(request);
  }

  override [inspectSymbol](): string {
    return `BasicAuth { username: ${JSON.stringify(this.username)}, password: '${REDACTED}' }`;
  }

  override toJSON(): Record<string, unknown> {
    return { type: 'BasicAuth', username: this.username, password: REDACTED };
  }
}

/** The `Authorization` value for Basic credentials, UTF-8 encoded. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${base64Utf8(`${username}:${password}`)}`;
}
