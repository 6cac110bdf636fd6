/**
 * What a resource server's answer says about the Bearer token it got (RFC 6750 §3, §3.1):
 * whether a new token could help.
 *
 * - `error="invalid_token"` (expired, revoked, malformed): yes, whatever the status.
 * - another Bearer error (`insufficient_scope`, usually with 403; `invalid_request`): no, a new
 *   token with the same grant would be refused the same way.
 * - a 401 without a Bearer error (a bare `Bearer realm=...`, no header, another scheme): yes;
 *   many servers send no error code, and a 401 to a token we think fresh is clock skew.
 */
import type { AxiosResponse } from 'axios';
import { parseChallenges } from '../../http/challenge.js';
import { headerValue } from '../../http/headers.js';

/** Whether `response` asks for another token (see the module comment for the rules). */
export function asksForNewToken(response: AxiosResponse): boolean {
  if (response.status !== 401 && response.status !== 403) return false;
  const error = bearerError(response);
  if (error !== undefined) return error === 'invalid_token';
  return response.status === 401;
}

/** The `error` of the response's Bearer challenge, if it has one. */
export function bearerError(response: AxiosResponse): string | undefined {
  const header = headerValue(response, 'www-authenticate');
  if (header === undefined) return undefined;
  try {
    const bearer = parseChallenges(header).find((challenge) => challenge.scheme === 'bearer');
    return bearer?.params.get('error');
  } catch {
    // A challenge that does not parse says nothing we can rely on: the status decides.
    return undefined;
  }
}
