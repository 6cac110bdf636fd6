/**
 * Redirects an adapter follows by itself (Node's http adapter, through follow-redirects) keep
 * credentials only where httpx keeps them: the same origin, or http to https on the same host
 * with default ports (`mayCarryCredentials`). Once dropped, they stay dropped for the rest of
 * the chain. The caller's own `beforeRedirect` still runs after this.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { mayCarryCredentials } from '../http/origin.js';
import type { AuthRequest } from '../request.js';

export function guardRedirects(
  sent: InternalAxiosRequestConfig,
  request: AuthRequest,
  userHook: InternalAxiosRequestConfig['beforeRedirect'],
): void {
  const authorization = sent.headers.get('Authorization');
  if (typeof authorization !== 'string') {
    if (userHook) sent.beforeRedirect = userHook;
    else delete sent.beforeRedirect;
    return;
  }
  let previous: string | undefined;
  let carried = true;
  sent.beforeRedirect = (options, responseDetails, requestDetails) => {
    const from = new URL(requestDetails?.url ?? previous ?? request.url.href);
    const to = new URL(String(options.href));
    previous = to.href;
    const headers = options.headers as Record<string, unknown> | undefined;
    if (headers) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'authorization') delete headers[name];
      }
      carried = carried && mayCarryCredentials(from, to);
      if (carried) headers.Authorization = authorization;
    }
    userHook?.(options, responseDetails, requestDetails);
  };
}
