/**
 * Redaction for `console.log`, `util.inspect` and `JSON.stringify` of our objects.
 * `Symbol.for('nodejs.util.inspect.custom')` is the registered symbol Node's `util.inspect`
 * looks up; using it through the global registry keeps `util` out of browser bundles.
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * Headers whose values may be credentials and are never printed: the standard ones
 * (Authorization, Proxy-Authorization, Cookie, Set-Cookie) and any custom header whose name
 * suggests one (X-Authentication, X-Api-Key, X-Auth-Token, ...). A custom flow may put its
 * secret in a header of any name; hiding a harmless value costs less than printing a token.
 */
const SECRET_HEADER = /auth|token|key|secret|session|cookie|passw|credential/i;

export const REDACTED = '[redacted]';

/** A plain copy of headers with every credential-bearing value replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER.test(name) ? REDACTED : value;
  }
  return out;
}
