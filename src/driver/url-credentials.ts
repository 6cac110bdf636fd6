/**
 * Credentials in the URL (`https://user:pass@host/`), httpx's URL auth. They are taken out of
 * what is sent, always: axios's Node adapter would turn them into Basic itself (and drop our
 * Authorization header for it), and fetch refuses such URLs. They apply to the URL that goes on
 * the wire: an absolute `url` replaces the baseURL and its credentials with it (as httpx's
 * `base_url` merge does), so a baseURL's credentials never reach another origin.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { isAbsoluteUrl } from '../http/url.js';

/** The credentials of the URL that will be sent, removed from `url` and `baseURL` alike. */
export function takeUrlCredentials(
  config: InternalAxiosRequestConfig,
): { username: string; password: string } | undefined {
  const own = takeUserinfo(config, 'url');
  const base = takeUserinfo(config, 'baseURL');
  const baseApplies =
    !!config.baseURL && (!isAbsoluteUrl(config.url) || config.allowAbsoluteUrls === false);
  return baseApplies ? base : own;
}

/** Remove `user:pass@` from `config[key]`, returning the decoded credentials. */
function takeUserinfo(
  config: InternalAxiosRequestConfig,
  key: 'url' | 'baseURL',
): { username: string; password: string } | undefined {
  const value = config[key];
  if (typeof value !== 'string' || !value.includes('@')) return undefined;
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(value);
  if (!scheme) return undefined;
  // The authority ends at the first '/', '?', '#' or '\\'; userinfo ends at its last '@', as
  // in WHATWG URL parsing (an unencoded '@' in a password belongs to the password).
  const start = scheme[0].length;
  const rest = value.slice(start).search(/[/?#\\]/);
  const end = rest === -1 ? value.length : start + rest;
  const at = value.lastIndexOf('@', end - 1);
  if (at < start) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // not a URL axios can send either; axios reports it
  }
  config[key] = value.slice(0, start) + value.slice(at + 1);
  try {
    return {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  } catch {
    // Never echo the value: it is a credential.
    throw new TypeError(
      'axios-auth-flow: the credentials in the URL are not valid percent-encoding',
    );
  }
}
