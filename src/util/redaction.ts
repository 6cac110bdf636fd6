/**
 * Redaction for `console.log`, `util.inspect` and `JSON.stringify` of our objects, and of the
 * `AxiosError`s of our calls when the caller asks (`redactError`).
 * `Symbol.for('nodejs.util.inspect.custom')` is the registered symbol Node's `util.inspect`
 * looks up; using it through the global registry keeps `util` out of browser bundles, and this
 * module imports nothing from axios, so that every scheme can use it at no cost.
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * Headers whose values may be credentials and are never printed: the standard ones
 * (Authorization, Proxy-Authorization, Cookie, Set-Cookie), any custom header whose name
 * suggests one (X-Authentication, X-Api-Key, X-Auth-Token, ...), and the headers of signing
 * schemes, which a signing flow sets and which let a replay through while they are fresh:
 * HTTP Message Signatures (`Signature`, `Signature-Input`, RFC 9421), webhook and API
 * signatures (`X-Hub-Signature-256`, `X-Signature`, `X-Amz-Signature`, `X-Goog-Signature`, `X-Sig`),
 * AWS's `X-Amz-Security-Token` and `X-Amz-Credential`, OAuth's `DPoP` proofs (RFC 9449), HMAC
 * and JWT headers. A custom flow may put its secret in a header of any name; hiding a harmless
 * value costs less than printing a token.
 */
const SECRET_NAME =
  /auth|token|key|secret|session|cookie|passw|credential|signature|dpop|hmac|jwt|bearer|assertion|(?:^|[-_])sig(?:[-_]|$)/i;

export const REDACTED = '[redacted]';

/** A plain copy of headers with every credential-bearing value replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_NAME.test(name) ? REDACTED : value;
  }
  return out;
}

/** The parts of an AxiosError that `redactError` reads (duck-typed: no axios import here). */
interface AxiosErrorLike {
  isAxiosError: true;
  message: string;
  name: string;
  code?: string;
  status?: number;
  stack?: string;
  config?: Record<string, unknown>;
  response?: { status?: number; statusText?: string; headers?: unknown };
  toJSON?: () => Record<string, unknown>;
}

/**
 * Make an `AxiosError` safe to print: its `toJSON` (what `JSON.stringify` and most error
 * reporters use) and its `util.inspect`/`console.log` form show the request without credentials:
 * headers whose names say they hold one, the `auth` option, user:password in the URL, and
 * credential-named fields of the body and query. Nothing else about the error changes (its
 * `config` still retries as it was: `client.request(error.config)`), and axios is not patched:
 * only this error object gets the two methods. Anything that is not an AxiosError is returned
 * unchanged, so it fits a `catch` or a response interceptor as is.
 *
 * @example
 * // every error of this instance prints safely:
 * client.interceptors.response.use(undefined, (error) => Promise.reject(redactError(error)));
 */
export function redactError<E>(error: E): E {
  if (!isAxiosErrorLike(error)) return error;
  const axiosToJSON = error.toJSON;
  const toJSON = (): Record<string, unknown> => {
    const json = typeof axiosToJSON === 'function' ? axiosToJSON.call(error) : {};
    return { ...json, config: error.config && safeConfig(error.config) };
  };
  const inspect = (): string => {
    const response = error.response && {
      status: error.response.status,
      statusText: error.response.statusText,
      headers: redactHeaders(plainHeaders(error.response.headers)),
    };
    const details = { code: error.code, status: error.status, config: toJSON().config, response };
    return `${error.stack ?? `${error.name}: ${error.message}`}\n${JSON.stringify(details, null, 2)}`;
  };
  // Own, non-enumerable: the error still lists (and serialises) the same properties as before.
  Object.defineProperty(error, 'toJSON', { value: toJSON, configurable: true, writable: true });
  Object.defineProperty(error, inspectSymbol, {
    value: inspect,
    configurable: true,
    writable: true,
  });
  return error;
}

function isAxiosErrorLike(value: unknown): value is AxiosErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isAxiosError?: unknown }).isAxiosError === true
  );
}

/**
 * The request config as a plain object of what helps debugging (method, URL, headers, timeout,
 * ...), with its credentials redacted. A list of what is kept, rather than of what is dropped:
 * an option added to axios later is not printed until someone checks it is safe.
 */
function safeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const key of ['method', 'timeout', 'responseType', 'maxRedirects']) {
    if (config[key] !== undefined) safe[key] = config[key];
  }
  if (typeof config.url === 'string') safe.url = safeUrl(config.url);
  if (typeof config.baseURL === 'string') safe.baseURL = safeUrl(config.baseURL);
  if (config.params !== undefined) safe.params = redactFields(config.params);
  safe.headers = redactHeaders(plainHeaders(config.headers));
  if (config.auth !== undefined && config.auth !== null) safe.auth = safeAuth(config.auth);
  if (config.data !== undefined) safe.data = redactBody(config.data);
  return safe;
}

/** An auth object prints itself safely (its own `toJSON`); any other form is a credential. */
function safeAuth(auth: unknown): unknown {
  const toJSON = (auth as { toJSON?: unknown }).toJSON;
  return typeof auth === 'object' && typeof toJSON === 'function' ? toJSON.call(auth) : REDACTED;
}

/** Headers as a plain object, whether AxiosHeaders (has `toJSON`), a Headers-like or plain. */
function plainHeaders(headers: unknown): Record<string, unknown> {
  if (typeof headers !== 'object' || headers === null) return {};
  const toJSON = (headers as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJSON.call(headers) as Record<string, unknown>;
  return { ...(headers as Record<string, unknown>) };
}

/** A URL without user:password and with credential-named query parameters redacted. */
export function safeUrl(href: string): string {
  let url: URL;
  try {
    url = new URL(href, 'http://relative.invalid');
  } catch {
    return REDACTED; // not parseable: it cannot be shown safely
  }
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretField(name)) url.searchParams.set(name, REDACTED);
  }
  // URLSearchParams percent-encodes the brackets of the marker.
  const shown = url.href.replaceAll('%5Bredacted%5D', REDACTED);
  return url.origin === 'http://relative.invalid' && !href.startsWith('http://relative.invalid')
    ? shown.slice('http://relative.invalid'.length)
    : shown;
}

/**
 * A request body as printed: JSON or form-encoded text, and plain objects, with their
 * credential-named fields (`client_secret`, `refresh_token`, `password`, ...) redacted; any
 * other body is shown by its size only, since it cannot be checked.
 */
function redactBody(data: unknown): unknown {
  if (typeof data === 'string') {
    const trimmed = data.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return redactFields(JSON.parse(data) as unknown);
      } catch {
        return `[${data.length} characters]`;
      }
    }
    if (/^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/.test(data)) {
      const form = new URLSearchParams(data);
      for (const name of [...form.keys()]) {
        if (isSecretField(name)) form.set(name, REDACTED);
      }
      return form.toString();
    }
    return `[${data.length} characters]`;
  }
  if (data instanceof URLSearchParams) return redactBody(data.toString());
  if (
    typeof data === 'object' &&
    data !== null &&
    Object.getPrototypeOf(data) === Object.prototype
  ) {
    return redactFields(data);
  }
  if (data === null || typeof data !== 'object') return data;
  const size =
    (data as { byteLength?: unknown; size?: unknown }).byteLength ??
    (data as { size?: unknown }).size;
  return typeof size === 'number' ? `[${size} bytes]` : '[body]';
}

/** A body field or parameter that holds a credential: OAuth's `code` and `code_verifier` too. */
function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name) || /^code(?:_verifier)?$/i.test(name);
}

/** A JSON-like value with the values of credential-named keys redacted, at any depth. */
function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '[...]';
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretField(key) ? REDACTED : redactFields(item, depth + 1);
  }
  return out;
}
