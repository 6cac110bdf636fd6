/**
 * The token request: which grant (RFC 6749 §4.4 client credentials, §6 refresh token) and how the
 * client authenticates (§2.3.1 `client_secret_basic` or `client_secret_post`).
 *
 * It is a plain axios config that `OAuth2Auth`'s flow yields, so the driver sends it through the
 * instance's own pipeline (baseURL, request interceptors, adapter) without the client's auth.
 */
import type { AxiosRequestConfig } from 'axios';
import { outlivesCall } from '../../driver/cancellation.js';
import { base64Utf8 } from '../../util/encoding.js';
import type { OAuth2Token } from './token.js';

/** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthentication = 'basic' | 'post';

/** Who asks for the token. */
export interface OAuth2Client {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly clientAuthentication: ClientAuthentication;
}

/**
 * The token request for the token now held: a refresh when it has a refresh token, client
 * credentials otherwise. `scope` goes with client credentials only: on a refresh, an omitted
 * scope means the scope originally granted (§6), and asking again for it can be refused.
 */
export function tokenRequest(
  tokenUrl: string,
  client: OAuth2Client,
  current: OAuth2Token | undefined,
  scope: string | undefined,
): AxiosRequestConfig {
  const form = new URLSearchParams();
  if (current?.refreshToken) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', current.refreshToken);
  } else {
    form.set('grant_type', 'client_credentials');
    if (scope) form.set('scope', scope);
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const { clientId, clientSecret } = client;
  if (clientSecret !== undefined && client.clientAuthentication === 'basic') {
    headers['Authorization'] = clientSecretBasic(clientId, clientSecret);
  } else {
    // §2.3.1 client_secret_post; a public client (no secret) names itself in the body (§3.2.1).
    form.set('client_id', clientId);
    if (clientSecret !== undefined) form.set('client_secret', clientSecret);
  }
  const config: AxiosRequestConfig = {
    method: 'post',
    url: tokenUrl,
    data: form.toString(),
    headers,
    // Read as text and parsed strictly (token.ts): axios's lenient JSON parsing would hand an
    // HTML error page over as a string.
    responseType: 'text',
    // Its body is credentials (a refresh token, a client secret): a 307 or 308 would send it on
    // to wherever the server points, another origin included. The redirect comes back as the
    // answer, and `readTokenAnswer` says where to point `tokenUrl` instead.
    maxRedirects: 0,
    // A signal of its own: the driver would otherwise give it the signal of the call that sends
    // it, and that caller's abort would cancel a refresh that every waiting call shares (and
    // could lose a rotated refresh token that the server has already issued). For the same
    // reason it outlives that call's timeout too (`outlivesCall`).
    signal: new AbortController().signal,
  };
  // `auth: null`: the token request is never authenticated by the OAuth2Auth that asked for it
  // (no loop when the token endpoint answers 401). axios types `auth` without null.
  Reflect.set(config, 'auth', null);
  return outlivesCall(config);
}

/**
 * RFC 6749 §2.3.1: the client id and secret are each encoded with application/x-www-form-urlencoded
 * (Appendix B) before they are joined by ':' and Base64-encoded, so that a ':' or a non-ASCII
 * character in either survives. What URLSearchParams writes is that encoding.
 */
export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${base64Utf8(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
