/**
 * Cookies set on a 401 go along with the retry, as httpx does (a server may tie its nonce to a
 * session cookie). Not a cookie jar: only what one response sets, for the request that answers it.
 */
import type { AxiosResponse } from 'axios';
import type { AuthRequest } from '../request.js';
import { headerValue } from './headers.js';

/**
 * Cookies set on the 401 go along with the retry, as httpx does; they are merged into a Cookie
 * header the caller set (a cookie of the same name is replaced). A browser sets and sends
 * cookies itself and hides Set-Cookie, so there this finds nothing to do.
 */
export function addCookies(request: AuthRequest, response: AxiosResponse): void {
  const setCookie = headerValue(response, 'set-cookie');
  if (setCookie === undefined) return;
  const cookies = new Map<string, string>();
  const existing = request.headers.get('Cookie');
  if (typeof existing === 'string') {
    for (const pair of existing.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  const path = request.url.pathname;
  let changed = false;
  for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let expired = false;
    let applies = true;
    for (const attribute of attributes) {
      const [key = '', value = ''] = attribute.split('=', 2).map((part) => part.trim());
      const lower = key.toLowerCase();
      if (lower === 'max-age' && Number(value) <= 0) expired = true;
      if (lower === 'expires' && Date.parse(value) <= Date.now()) expired = true;
      if (lower === 'path' && value.startsWith('/') && !pathMatches(path, value)) applies = false;
    }
    if (!applies) continue;
    changed = true;
    if (expired) cookies.delete(name);
    else cookies.set(name, pair.slice(eq + 1).trim());
  }
  if (!changed) return;
  if (cookies.size === 0) request.headers.delete('Cookie');
  else request.headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
