/**
 * `AuthRequest`: the request an auth flow sees and yields, httpx's `Request` over an axios config.
 *
 * It is built from the config that has already been through the instance's request interceptors
 * and `transformRequest`, so its `headers` and its body are what goes on the wire. `url` is the
 * full URL with baseURL and params applied, computed only when a flow asks for it (Basic never
 * does, and the hot path stays free of URL parsing).
 */
import axios, { AxiosHeaders } from 'axios';
import type { AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { AuthFlowError } from './errors.js';
import { inspectSymbol, redactHeaders, safeUrl } from './util/redaction.js';
import type { HeaderBag } from './http/headers.js';
import { fullPath, hasScheme } from './http/url.js';
import { bodyToBytes, isInMemoryBody, readBody, toSendable } from './http/body.js';

// `getUri` on an Axios with empty defaults applies baseURL and params exactly as the adapters do,
// without merging in the global `axios.defaults` a second time.
const uriBuilder = new axios.Axios({});

/**
 * Where a request goes, as strings: what Digest looks up and hashes on every call. Immutable, so
 * one can serve every request to the same URL.
 */
export interface UrlPlace {
  readonly origin: string;
  readonly pathname: string;
  /** The request target on the wire: path and query (see `AuthRequest.target`). */
  readonly target: string;
}

/**
 * The place of the last URL parsed for `place`: a client that calls one URL again and again
 * (polling a camera, a status endpoint) parses it once. Keyed by the full URL string, which
 * decides the result alone.
 */
let lastPlace: { href: string; place: UrlPlace } | undefined;

/**
 * @internal Where `request` goes: its origin, path and target, without a `URL` per request when
 * its URL is the one the call started with and has no `params` (then its full string decides
 * them alone). A function, not a getter: only Digest's bundle carries it.
 */
export function requestPlace(request: AuthRequest): UrlPlace {
  if (hasOwnUrl(request) || request.config.params != null) {
    const { url } = request;
    return { origin: url.origin, pathname: url.pathname, target: request.target };
  }
  const href: unknown = fullPath(request.config);
  // A `URL` object as `url` (axios's adapters take one, its typings do not) can be changed in
  // place between calls: only a string can key the cache.
  if (typeof href !== 'string') return placeOf(request.url);
  if (lastPlace?.href === href) return lastPlace.place;
  // A relative URL depends on the page it is resolved against too: not kept.
  if (!hasScheme(href)) return placeOf(new URL(href, defaultBase()));
  const place = placeOf(new URL(href));
  lastPlace = { href, place };
  return place;
}

function placeOf(url: URL): UrlPlace {
  return { origin: url.origin, pathname: url.pathname, target: `${url.pathname}${url.search}` };
}

/** Where a relative URL (no baseURL, common with axios-mock-adapter) is resolved. */
function defaultBase(): string {
  const location = (globalThis as { location?: { href?: string } }).location;
  return location?.href ?? 'http://localhost';
}

/**
 * Requests on the call's own config (the one that already went through the instance's
 * pipeline), and clones of them, are sent straight to the adapter. Any other AuthRequest (one a
 * flow made by hand, like httpx's `build_refresh_request`) is a new request and goes through
 * the pipeline first. The mark is a private field, set only here: no per-call table entry.
 */
let markPrepared: (request: AuthRequest) => AuthRequest;
let readPrepared: (request: AuthRequest) => boolean;
/** Whether the request's URL was parsed or set already (then `request.url` is the one to read). */
let hasOwnUrl: (request: AuthRequest) => boolean;

let setKept: (request: AuthRequest, value: unknown) => void;
let readKept: (request: AuthRequest) => unknown;

/**
 * @internal What a scheme's `authorizeChecked` keeps on the request for its `answerOnce`: the
 * token it sent (OAuth2), the protection space it answered (Digest). A field of the request,
 * not a table entry per call; a clone does not carry it.
 */
export function keepForAnswer(request: AuthRequest, value: unknown): void {
  setKept(request, value);
}

/** @internal See `keepForAnswer`. */
export function keptForAnswer(request: AuthRequest): unknown {
  return readKept(request);
}

/** @internal The request a call's flow starts with, built on the call's dispatched config. */
export function preparedRequest(config: InternalAxiosRequestConfig): AuthRequest {
  return markPrepared(new AuthRequest(config));
}

/** @internal Whether the request can go straight to the adapter (see `markPrepared`). */
export function isPrepared(request: AuthRequest): boolean {
  return readPrepared(request);
}

export class AuthRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The request headers (axios's `AxiosHeaders`): a flow sets `Authorization` here. */
  headers: InstanceType<typeof AxiosHeaders>;
  /** The axios config under this request, for anything else (`timeout`, `responseType`, ...). */
  readonly config: InternalAxiosRequestConfig;

  #url: URL | undefined;
  #urlChanged = false;
  #body: unknown;
  #content: Uint8Array | undefined;
  #bodyChanged = false;
  #prepared = false;
  /** What the scheme's `authorizeChecked` kept for its `answerOnce` (see `keepForAnswer`). */
  #kept: unknown;

  static {
    markPrepared = (request) => {
      request.#prepared = true;
      return request;
    };
    readPrepared = (request) => request.#prepared;
    hasOwnUrl = (request) => request.#url !== undefined || request.#urlChanged;
    setKept = (request, value) => {
      request.#kept = value;
    };
    readKept = (request) => request.#kept;
  }

  /**
   * @example
   * // Driving a flow by hand, with no transport (as httpx's tests do):
   * const flow = new BasicAuth('user', 'pass').authFlow(new AuthRequest({ url: 'https://example.com/' }));
   * flow.next().value.headers.get('Authorization'); // 'Basic dXNlcjpwYXNz'
   */
  constructor(config: AxiosRequestConfig) {
    // In the driver the config is the per-call copy axios made in dispatchRequest, whose headers
    // are already this call's own AxiosHeaders: a flow changes them in place (as httpx flows
    // change `request.headers`), no copy. A request made by hand has plain headers or none.
    const given = config.headers;
    const headers =
      given instanceof AxiosHeaders ? given : new AxiosHeaders(given as HeaderBag | undefined);
    this.config = (
      given === headers ? config : { ...config, headers }
    ) as InternalAxiosRequestConfig;
    this.method = (config.method ?? 'get').toUpperCase();
    this.headers = headers;
    this.#body = config.data;
  }

  /** The full URL as it goes on the wire: baseURL and params applied. */
  get url(): URL {
    if (!this.#url) {
      // `getUri` merges the whole config again: only worth it when params must be serialised.
      const params: unknown = this.config.params;
      const href = params == null ? fullPath(this.config) : uriBuilder.getUri(this.config);
      // An absolute URL (the usual case) is parsed alone: a base would be parsed too.
      this.#url = hasScheme(href) ? new URL(href) : new URL(href, defaultBase());
    }
    return this.#url;
  }

  /**
   * The request target exactly as the Node http adapter writes it on the request line
   * (RFC 9112 origin-form: path and query). It can differ from `url.pathname + url.search`:
   * axios appends `params` after parsing the URL, so characters such as `'` stay raw on the
   * wire, where `URL` would percent-encode them. Digest's `uri` must be this string.
   */
  get target(): string {
    const params: unknown = this.config.params;
    const { paramsSerializer } = this.config;
    if (this.#urlChanged || params == null) return `${this.url.pathname}${this.url.search}`;
    const parsed = new URL(fullPath(this.config), defaultBase());
    const path = `${parsed.pathname}${parsed.search}`;
    return uriBuilder.getUri(
      paramsSerializer ? { url: path, params, paramsSerializer } : { url: path, params },
    );
  }

  set url(value: URL | string) {
    this.#url = new URL(String(value), defaultBase());
    this.#urlChanged = true;
  }

  /**
   * The body as the bytes that are sent. Always there when the auth class sets
   * `requiresRequestBody`; otherwise available for bodies already in memory.
   */
  get content(): Uint8Array {
    if (this.#content) return this.#content;
    const bytes = bodyToBytes(this.#body);
    if (!bytes) {
      throw new AuthFlowError(
        'request.content is not loaded: the body is a stream, Blob or FormData. ' +
          'Set `requiresRequestBody = true` on the Auth class to have it read before the flow starts.',
      );
    }
    this.#content = bytes;
    return bytes;
  }

  /** Replace the body with these bytes; the stale Content-Length is dropped and recomputed. */
  set content(bytes: Uint8Array) {
    this.#content = bytes;
    this.#body = bytes;
    this.#bodyChanged = true;
  }

  /** @internal The body in the form the adapter sends (after `loadContent`, the bytes). */
  get body(): unknown {
    return this.#body;
  }

  /**
   * @internal Read a stream, Blob or FormData body into bytes so that it can be sent again and
   * hashed. Nothing to do (no promise, no await) for a body already in memory: its `content` is
   * computed when first read.
   */
  loadContent(): Promise<void> | undefined {
    if (this.#content || isInMemoryBody(this.#body)) return undefined;
    return readBody(this.#body).then((read) => {
      this.#content = read.bytes;
      this.#body = read.bytes;
      this.#bodyChanged = true;
      if (read.contentType) this.headers.set('Content-Type', read.contentType);
    });
  }

  /** A copy that can be changed and yielded without touching this one. */
  clone(): AuthRequest {
    const copy = new AuthRequest({ ...this.config, headers: new AxiosHeaders(this.headers) });
    copy.method = this.method;
    copy.#url = this.#url;
    copy.#urlChanged = this.#urlChanged;
    copy.#body = this.#body;
    copy.#content = this.#content;
    copy.#bodyChanged = this.#bodyChanged;
    copy.#prepared = this.#prepared;
    return copy;
  }

  /**
   * @internal The axios config the adapter is called with for this request: its own config,
   * updated in place. Sending the same request again sends the same config object, as httpx
   * sends the same `Request`; a response's `config` is the request as it was last sent.
   * `last`: no flow step follows this send, so nothing reads `headers` after the adapter.
   */
  toConfig(last = false): InternalAxiosRequestConfig {
    const { config } = this;
    config.method = this.method.toLowerCase();
    // A copy, unless this is the last send: axios's http adapter writes Content-Length,
    // User-Agent and Accept-Encoding into the headers it is given, which must not leak back
    // into the flow's `request.headers`.
    config.headers = last ? this.headers : new AxiosHeaders(this.headers);
    config.data = toSendable(this.#body);
    // The adapter computes Content-Length from a Buffer or string body, but keeps one that is
    // already set: a body this flow replaced must not travel with the old length.
    if (this.#bodyChanged) config.headers.delete('Content-Length');
    this.#applyChangedUrl(config);
    return config;
  }

  /**
   * @internal A request made by hand, as a config for the instance's pipeline: defaults,
   * baseURL, request interceptors and `transformRequest` apply to it as to any new request.
   */
  toNewConfig(): AxiosRequestConfig {
    const config: AxiosRequestConfig = {
      ...this.config,
      method: this.method,
      headers: this.headers,
      data: toSendable(this.#body),
    };
    if (this.#bodyChanged) this.headers.delete('Content-Length');
    this.#applyChangedUrl(config);
    return config;
  }

  /** A URL the flow set replaces url, baseURL and params: it already carries its query. */
  #applyChangedUrl(config: AxiosRequestConfig): void {
    if (!this.#urlChanged || !this.#url) return;
    config.url = this.#url.href;
    delete config.baseURL;
    delete config.params;
  }

  toJSON(): Record<string, unknown> {
    return {
      method: this.method,
      url: this.#safeUrl(),
      headers: redactHeaders(this.headers.toJSON()),
    };
  }

  [inspectSymbol](): string {
    const headers = redactHeaders(this.headers.toJSON());
    return `AuthRequest ${this.method} ${this.#safeUrl()} ${JSON.stringify(headers)}`;
  }

  /** The URL as it may be printed: no user:password, no credential-named query parameter. */
  #safeUrl(): string {
    try {
      return safeUrl(this.url.href);
    } catch {
      return safeUrl(String(this.config.url ?? '')); // a URL that does not parse: as given
    }
  }
}

/**
 * The URL that produced a response: after redirects, the last one (Node's follow-redirects sets
 * `responseUrl`, XHR `responseURL`). A Digest challenge belongs to this URL.
 */
export function responseUrl(response: AxiosResponse, fallback: URL): URL {
  const request = response.request as
    { res?: { responseUrl?: unknown }; responseURL?: unknown; url?: unknown } | undefined;
  // The fetch adapter's request is the fetch `Request`: after the redirects the driver follows
  // itself, it is the last hop's, whose `url` is where the response came from.
  const href = request?.res?.responseUrl ?? request?.responseURL ?? request?.url;
  // Without a redirect it is the URL that was sent: no need to parse it again.
  if (typeof href === 'string' && href !== '' && href !== fallback.href) {
    try {
      return new URL(href);
    } catch {
      return fallback;
    }
  }
  return fallback;
}
