/**
 * Redirects: the credentials of an exchange stay on its origin, with every adapter.
 *
 * "Credentials" are every header the auth added or changed (an `X-Api-Key` set by a function or
 * a flow as much as `Authorization`), or set on an earlier call (`rememberAuthHeaders`), plus
 * `Authorization`, `Proxy-Authorization` and `Cookie` wherever they came from; never `Accept*`,
 * `User-Agent` or `Content-*`. They go only where httpx sends them (`mayCarryCredentials`: the
 * same origin, or http to https on the same host with default ports); once dropped in a chain,
 * they stay dropped. Which headers they are is worked out only when a redirect happens; a call
 * that is not redirected pays for the closure, and for a function or flow, one pass over its
 * headers to remember the names it set.
 *
 * How, per adapter:
 * - Node's http adapter (follow-redirects) calls `beforeRedirect` before each hop: the guard
 *   strips or restores the headers there, then runs the caller's own hook.
 * - fetch follows redirects inside the platform, with no hook, and keeps custom headers across
 *   origins (the Fetch standard drops only `Authorization`). Outside browsers (Node, Deno, Bun)
 *   an authenticated exchange is sent with `redirect: 'manual'`, which there gives the plain
 *   3xx, and the driver follows it (`followRedirects`) with the rule above: no cost until a
 *   redirect comes. A browser answers a manual redirect with an opaque response that hides
 *   where it leads, so there only an exchange with credentials beyond `Authorization` (which
 *   browsers drop on cross-origin redirects themselves) is sent manual; when such a request
 *   meets a redirect, following it blindly could leak, so the call stops with an
 *   `AuthFlowError` that says why.
 * - XHR always follows redirects, with no way to stop it: such an exchange goes through axios's
 *   fetch adapter instead (same environment, same config).
 */
import axios, { AxiosError, AxiosHeaders } from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { AuthFlowError } from '../errors.js';
import { discardBody, isStreamBody, isWebStream } from '../http/body.js';
import type { HeaderBag } from '../http/headers.js';
import { mayCarryCredentials } from '../http/origin.js';
import { putBack } from './caller-settings.js';
import { timeoutError } from './cancellation.js';

/** Which of axios's adapters a call goes to: decides how redirects can be guarded. */
export type AdapterKind = 'http' | 'fetch' | 'xhr' | 'other';

/** The kind of an adapter, found once per adapter (the driver caches its wrapper per adapter). */
export function adapterKind(
  adapter: AxiosAdapter,
  config: InternalAxiosRequestConfig,
): AdapterKind {
  for (const kind of ['http', 'fetch', 'xhr'] as const) {
    if (builtInAdapter(kind, config) === adapter) return kind;
  }
  return 'other';
}

/** axios's own adapter of that name for this environment; undefined where it is not supported. */
function builtInAdapter(
  name: 'http' | 'fetch' | 'xhr',
  config: InternalAxiosRequestConfig,
): AxiosAdapter | undefined {
  try {
    return axios.getAdapter(name, config);
  } catch {
    return undefined;
  }
}

/** Always credentials, whoever set them (axios and follow-redirects treat them so too). */
const STANDARD_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * Never credentials: what the client accepts and who it is, and the headers that describe the
 * body (which the redirect itself keeps, on a 307 or 308, or drops with the body).
 */
function neverCredential(lower: string): boolean {
  return (
    lower === 'accept' ||
    lower.startsWith('accept-') ||
    lower === 'user-agent' ||
    isBodyHeader(lower)
  );
}

/** A header that counts only when the auth set it: neither always nor never a credential. */
function isOwnCredential(lower: string): boolean {
  return !STANDARD_CREDENTIALS.includes(lower) && !neverCredential(lower);
}

/**
 * Per auth (the `auth` option as given: an Auth object or a function), the names of the
 * headers beyond the standard ones that it has set on earlier calls. A call retried from
 * `error.config` or `response.config` (axios-retry, a hand-written retry) starts with the last
 * call's headers, the auth's own among them: compared with that baseline, the auth setting the
 * same value again changes nothing, yet the header is still its credential. Names only, no values,
 * and a few per auth.
 */
const namesSetBefore = new WeakMap<object, Set<string>>();
const MAX_NAMES_PER_AUTH = 32;

/** What a WeakMap can key: the `auth` option when it is an Auth object or a function. */
function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * Remember which headers beyond the standard ones the auth set on this request (those that differ
 * from the baseline): one pass over the request's few headers, and a Set per auth only once one
 * sets a header of its own.
 */
export function rememberAuthHeaders(
  owner: unknown,
  headers: Readonly<Record<string, unknown>>,
  baseline: Readonly<Record<string, unknown>>,
): void {
  if (!isObject(owner)) return;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === baseline[name] || value === undefined || value === null || value === false) {
      continue;
    }
    const lower = name.toLowerCase();
    if (!isOwnCredential(lower)) continue;
    let names = namesSetBefore.get(owner);
    if (!names) namesSetBefore.set(owner, (names = new Set()));
    // Least recently set first: a name in constant use is never the one evicted.
    if (!names.delete(lower) && names.size >= MAX_NAMES_PER_AUTH) {
      names.delete(names.values().next().value as string);
    }
    names.add(lower);
  }
}

/**
 * The credentials of one exchange, worked out when first asked for: the headers of the request
 * as the flow yielded it that differ from `baseline` (what the call started with, after the
 * caller's interceptors), the headers a parent flow gave a request it built (`inherited`), and
 * the standard ones. A `null` baseline compares nothing: a request a flow built without auth,
 * whose other headers come from the instance's defaults and interceptors.
 */
export class Credentials {
  #found: Map<string, [name: string, value: string]> | undefined;

  constructor(
    /** The request's headers as the flow yielded it (not as the adapter completed them). */
    readonly headers: Readonly<Record<string, unknown>>,
    readonly baseline: Readonly<Record<string, unknown>> | null,
    /** Headers a parent flow put on a new request with its own auth: the parent's credentials. */
    readonly inherited?: Readonly<Record<string, unknown>>,
    /** The `auth` option of the call: the headers it set on earlier calls count too. */
    readonly owner?: unknown,
  ) {}

  /** Lower-case name → [name as sent, value]. */
  get found(): Map<string, [name: string, value: string]> {
    if (this.#found) return this.#found;
    const { baseline } = this;
    const before = new Map<string, string>();
    for (const [name, value] of Object.entries(baseline ?? {})) {
      before.set(name.toLowerCase(), String(value));
    }
    const inherited = Object.keys(this.inherited ?? {}).map((name) => name.toLowerCase());
    const { owner } = this;
    const setBefore = isObject(owner) ? namesSetBefore.get(owner) : undefined;
    const found = new Map<string, [string, string]>();
    for (const [name, value] of Object.entries(this.headers)) {
      if (value === undefined || value === null || value === false) continue;
      const lower = name.toLowerCase();
      const text = headerText(value);
      const counts = isOwnCredential(lower)
        ? (baseline !== null && before.get(lower) !== text) ||
          inherited.includes(lower) ||
          setBefore?.has(lower) === true
        : STANDARD_CREDENTIALS.includes(lower);
      if (counts) found.set(lower, [name, text]);
    }
    return (this.#found = found);
  }

  /** Whether the platform drops every one of them on a cross-origin redirect by itself. */
  get platformDropsAll(): boolean {
    return [...this.found.keys()].every((lower) => STANDARD_CREDENTIALS.includes(lower));
  }
}

/** A header value as compared and put back (a list as `String()` joins it). */
function headerText(value: unknown): string {
  return String(value);
}

/** Where the exchange started, for the first hop's origin (computed only on a redirect). */
export type StartUrl = () => string;

/**
 * Send `sent` through `adapter` so that no redirect takes its credentials to another origin.
 * The caller's `beforeRedirect` (`userHook`) still runs after the guard. `sent` is the call's
 * config, changed in place: the guard is on it as its `beforeRedirect` until the caller puts
 * `userHook` back once the adapter is done (`putBack`), in the `finally` it has anyway: a
 * `.finally()` here would cost every call three more promises.
 */
export function sendGuarded(
  adapter: AxiosAdapter,
  kind: AdapterKind,
  sent: InternalAxiosRequestConfig,
  credentials: Credentials,
  startUrl: StartUrl,
  userHook: InternalAxiosRequestConfig['beforeRedirect'],
): Promise<AxiosResponse> {
  if (kind === 'fetch' || kind === 'xhr') {
    return sendFollowingItself(adapter, kind, sent, credentials, startUrl);
  }
  // No redirect is followed: nothing to guard. (XHR and fetch ignore `maxRedirects`: above.)
  if (sent.maxRedirects === 0) return adapter(sent);
  guardHook(sent, credentials, startUrl, userHook);
  return adapter(sent);
}

/** The http adapter's hook: strip (or, same origin, restore) the credentials before each hop. */
function guardHook(
  sent: InternalAxiosRequestConfig,
  credentials: Credentials,
  startUrl: StartUrl,
  userHook: InternalAxiosRequestConfig['beforeRedirect'],
): void {
  let previous: string | undefined;
  let carried = true;
  sent.beforeRedirect = (options, responseDetails, requestDetails) => {
    const from = new URL(requestDetails?.url ?? previous ?? startUrl());
    const to = new URL(String(options.href));
    previous = to.href;
    carried = carried && mayCarryCredentials(from, to);
    const headers = options.headers as Record<string, unknown> | undefined;
    if (headers) applyRule(headers, credentials.found, carried);
    userHook?.(options, responseDetails, requestDetails);
  };
}

/**
 * Credentials off the next hop's headers, or (still carried) back on: axios and follow-redirects
 * drop `Authorization` and `Cookie` on an http to https upgrade that httpx allows. Body headers
 * are never credentials (`neverCredential`): they stay as the redirect left them, dropped for a
 * POST turned GET, kept for a 307.
 */
function applyRule(
  headers: Record<string, unknown>,
  found: Map<string, [string, string]>,
  carried: boolean,
): void {
  for (const name of Object.keys(headers)) {
    if (found.has(name.toLowerCase())) delete headers[name];
  }
  if (!carried) return;
  for (const [, [name, value]] of found) headers[name] = value;
}

function isBodyHeader(lower: string): boolean {
  return lower.startsWith('content-');
}

/**
 * fetch and XHR: the platform follows redirects and keeps custom headers. When the exchange
 * carries credentials beyond those the platform drops, redirects are followed here instead.
 */
async function sendFollowingItself(
  adapter: AxiosAdapter,
  kind: AdapterKind,
  sent: InternalAxiosRequestConfig,
  credentials: Credentials,
  startUrl: StartUrl,
): Promise<AxiosResponse> {
  const callerOptions = sent.fetchOptions as Record<string, unknown> | undefined;
  const callerRedirect = callerOptions?.redirect;
  // The caller's own choice of 'manual' or 'error' stands; nothing to guard then. A browser
  // cannot follow a manual redirect (it hides the target): there, only an exchange whose
  // credentials the browser itself drops across origins may be left to the browser. Elsewhere
  // (Node, Deno, Bun) a manual redirect is a plain 3xx, and following it here costs nothing
  // until a redirect comes, and applies httpx's rule exactly.
  // XHR ignores `fetchOptions` and `maxRedirects` alike: only the fetch adapter is trusted
  // with them; through XHR the request goes by the manual path below, following nothing.
  // `maxRedirects: 0` is not left to the adapter either: not every axios 1.x fetch adapter maps it.
  // A request that follows no redirect (`maxRedirects: 0`, as OAuth2's token request, whose body
  // is credentials) is not left to a browser either: XHR would follow it all the same.
  const callerStops = callerRedirect !== undefined && callerRedirect !== 'follow';
  const followsNone = callerStops || sent.maxRedirects === 0;
  if (
    (callerStops && kind === 'fetch') ||
    (inBrowser() && credentials.platformDropsAll && !followsNone)
  ) {
    return adapter(sent);
  }
  const fetchAdapter = kind === 'fetch' ? adapter : builtInAdapter('fetch', sent);
  if (!fetchAdapter) {
    throw new AuthFlowError(
      'this request carries credentials in headers other than Authorization, which the XHR ' +
        'adapter would follow a redirect with to any origin, and no fetch is available to ' +
        'follow redirects safely instead',
    );
  }
  sent.fetchOptions = { ...callerOptions, redirect: 'manual' };
  try {
    const limit = followsNone ? 0 : (sent.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
    return await followRedirects(fetchAdapter, sent, credentials, startUrl, limit);
  } finally {
    putBack(sent, 'fetchOptions', callerOptions);
  }
}

/** follow-redirects' default, which the http adapter uses when `maxRedirects` is not set. */
const DEFAULT_MAX_REDIRECTS = 21;

/**
 * Send `sent` in manual mode and follow its redirects as follow-redirects and the Fetch
 * standard do (301/302 turn a POST into a GET, 303 turns anything but GET/HEAD into a GET and
 * drops the body), with httpx's rule for the credentials. Each hop is a copy of `sent`; the
 * final response's `config` is `sent`, as with the http adapter.
 */
async function followRedirects(
  adapter: AxiosAdapter,
  sent: InternalAxiosRequestConfig,
  credentials: Credentials,
  startUrl: StartUrl,
  /** The most redirects to follow; 0: the redirect itself is the answer. */
  limit: number,
): Promise<AxiosResponse> {
  let hop = sent;
  // The exchange's timeout (what is left of the call's) holds for the whole chain, not per hop.
  const deadline = sent.timeout ? Date.now() + sent.timeout : Infinity;
  let response = await adapter(hop);
  let current: URL | undefined;
  let carried = true;
  for (let hops = 0; ; hops++) {
    if (response.status === 0) throw opaqueRedirect(credentials, limit === 0);
    const location = locationOf(response);
    if (location === undefined || limit === 0) break;
    if (hops >= limit) {
      discardBody(response.data);
      throw new AxiosError(
        'Maximum number of redirects exceeded',
        'ERR_FR_TOO_MANY_REDIRECTS',
        sent,
        response.request,
      );
    }
    const dropsBody = !keepsBody(response.status, hop.method);
    // The Fetch standard cannot resend a body it streamed; follow-redirects cannot either.
    if (!dropsBody && (isStreamBody(hop.data) || isWebStream(hop.data))) break;
    discardBody(response.data);
    current ??= new URL(startUrl());
    const next = new URL(location, current);
    carried &&= mayCarryCredentials(current, next);
    const headers = new AxiosHeaders(hop.headers);
    hop = { ...hop, url: next.href, headers };
    delete hop.baseURL;
    delete hop.params;
    if (dropsBody) {
      hop.method = 'get';
      delete hop.data;
      for (const name of Object.keys(headers)) {
        if (isBodyHeader(name.toLowerCase())) headers.delete(name);
      }
    }
    applyRule(headers, credentials.found, carried);
    current = next;
    if (deadline !== Infinity) hop.timeout = timeLeft(deadline, sent);
    response = await adapter(hop);
  }
  response.config = sent;
  return response;
}

/** The redirect target of a response, or undefined when it is not a redirect to follow. */
function locationOf(response: AxiosResponse): string | undefined {
  if (![301, 302, 303, 307, 308].includes(response.status)) return undefined;
  const location = AxiosHeaders.from(response.headers as HeaderBag).get('Location');
  return typeof location === 'string' && location !== '' ? location : undefined;
}

/** 307 and 308 resend the request as it was; so do 301 and 302 for anything but POST. */
function keepsBody(status: number, method = 'get'): boolean {
  const upper = method.toUpperCase();
  if (status === 303) return upper === 'GET' || upper === 'HEAD';
  return upper !== 'POST' || status > 303;
}

/** A browser's answer to a manual redirect: status 0 and no Location, so no way to check it. */
function opaqueRedirect(credentials: Credentials, followsNone: boolean): AuthFlowError {
  if (followsNone) {
    return new AuthFlowError(
      'the server answered with a redirect that the browser does not let the client see, and ' +
        'this request follows no redirects (maxRedirects: 0; a token request, whose body is ' +
        'credentials, never does), so it stops here. Request the final URL directly',
    );
  }
  const names = [...credentials.found.values()].map(([name]) => name).join(', ');
  return new AuthFlowError(
    `the server answered with a redirect that the browser does not let the client see; the ` +
      `request carried credentials in headers (${names}) that the browser would have sent to ` +
      'wherever it leads, so it was not followed. Request the final URL directly, or let the ' +
      'auth use the Authorization header, which browsers drop on cross-origin redirects',
  );
}

/** Where fetch answers `redirect: 'manual'` with an opaque response (a page or a worker). */
function inBrowser(): boolean {
  const scope = globalThis as { document?: unknown; importScripts?: unknown };
  return scope.document !== undefined || typeof scope.importScripts === 'function';
}

/** What is left of the chain's timeout for the next hop; axios's timeout error when none is. */
function timeLeft(deadline: number, sent: InternalAxiosRequestConfig): number {
  const left = Math.ceil(deadline - Date.now());
  if (left > 0) return left;
  // The call's deadline set the message on `sent` (CallDeadline.checkTimeLeft).
  throw timeoutError(sent, sent.timeoutErrorMessage ?? `timeout of ${sent.timeout}ms exceeded`);
}
