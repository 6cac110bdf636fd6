/**
 * Errors raised by axios-auth-flow itself. Transport and HTTP-status failures stay axios's own
 * `AxiosError`/`CanceledError`, so existing `catch` blocks and `axios.isAxiosError` keep working.
 * No message built here ever contains a credential, a digest or an Authorization value.
 */

/** An auth flow misbehaved: it yielded nothing, yielded something that is not a request, or looped. */
export class AuthFlowError extends Error {
  override readonly name = 'AuthFlowError';
}
