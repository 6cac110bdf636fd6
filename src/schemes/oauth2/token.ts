/**
 * The token record and the strict reading of a token endpoint's answer (RFC 6749 §5.1, §5.2).
 *
 * An answer becomes a token only when it is one: a 200 whose JSON object has an `access_token`
 * and a `token_type` of Bearer (RFC 6750). Anything else (an HTML error page, a 200 without
 * `access_token`, a MAC or DPoP token, an `expires_in` that is not a number of seconds) is an
 * `OAuth2Error` and is never stored. Messages never quote a token or a secret.
 */
import type { AxiosResponse } from 'axios';
import { OAuth2Error } from '../../errors.js';
import { headerValue } from '../../http/headers.js';
import { fullPath } from '../../http/url.js';
import { REDACTED } from '../../util/redaction.js';

/**
 * An access token and what came with it. Plain data, so that a `store` can save it as JSON.
 *
 * @example
 * { accessToken: 'eyJ...', refreshToken: 'def...', expiresAt: Date.now() + 3600_000 }
 */
export interface OAuth2Token {
  /** Sent as `Authorization: Bearer <accessToken>`. */
  readonly accessToken: string;
  /** The grant for the next token; replaced when the server rotates it (RFC 6749 §6). */
  readonly refreshToken?: string | undefined;
  /** When the access token expires, in milliseconds since the epoch; unknown when absent. */
  readonly expiresAt?: number | undefined;
  /** The scope the token was granted, space-separated (RFC 6749 §3.3). */
  readonly scope?: string | undefined;
}

/** What reading an answer needs to know besides the answer. */
export interface AnswerContext {
  /** The token being replaced: its refresh token stays when the answer brings none (§6). */
  readonly previous: OAuth2Token | undefined;
  /** The scope that was asked for: the granted one when the answer omits `scope` (§5.1). */
  readonly requestedScope: string | undefined;
  /** The clock, in milliseconds since the epoch, when the answer arrived. */
  readonly now: number;
  /** The token endpoint, for messages (without any user:password). */
  readonly endpoint: string;
  /** Values that must never reach a message (client secret, refresh token). */
  readonly secrets: readonly string[];
}

/** RFC 6750 §2.1 b64token is stricter, but real servers issue other printable ASCII too. */
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;
/** RFC 6749 §5.1 `expires_in`: seconds, sent as a JSON number or (by some servers) a string. */
const SECONDS = /^\d+(\.\d+)?$/;

/**
 * The token in a 200 answer, or the `OAuth2Error` the answer stands for.
 * @throws OAuth2Error for an error answer and for anything that is not a Bearer token.
 */
export function readTokenAnswer(response: AxiosResponse, context: AnswerContext): OAuth2Token {
  const body = jsonObject(response.data);
  if (response.status !== 200) throw errorAnswer(response, body, context);
  const fail = (problem: string): OAuth2Error =>
    new OAuth2Error(`${context.endpoint} answered 200 with ${problem}; no token was stored`, {
      status: response.status,
      history: [response],
    });
  if (!body) throw fail('a body that is not a JSON object');
  const accessToken = body['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') throw fail('no access_token');
  if (!HEADER_SAFE_TOKEN.test(accessToken))
    throw fail('an access_token that cannot go in a header');
  const tokenType = body['token_type'];
  // RFC 6749 §5.1: token_type is REQUIRED and compared without regard to case (§7.1).
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw fail('a token_type that is not Bearer');
  }
  const expiresIn = seconds(body['expires_in']);
  if (expiresIn === null) throw fail('an expires_in that is not a number of seconds');
  const refreshToken = body['refresh_token'];
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === '')) {
    throw fail('a refresh_token that is not a string');
  }
  const scope = body['scope'];
  if (scope !== undefined && typeof scope !== 'string') throw fail('a scope that is not a string');
  return {
    accessToken,
    // §6: the server MAY issue a new refresh token; when it does not, the old one stays valid.
    refreshToken: refreshToken ?? context.previous?.refreshToken,
    expiresAt: expiresIn === undefined ? undefined : context.now + expiresIn * 1000,
    scope: scope ?? context.requestedScope,
  };
}

/** `expires_in` in seconds; `undefined` when absent, `null` when it is not a number of seconds. */
function seconds(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && SECONDS.test(value)) return Number(value);
  return null;
}

/** A §5.2 error answer, or any other non-200, as an `OAuth2Error`. */
function errorAnswer(
  response: AxiosResponse,
  body: Record<string, unknown> | undefined,
  context: AnswerContext,
): OAuth2Error {
  const error = textField(body, 'error');
  const errorDescription = textField(body, 'error_description');
  const errorUri = textField(body, 'error_uri');
  let code = error ? ` ${scrub(error, context.secrets)}` : ' (no OAuth 2.0 error code)';
  let description = errorDescription ? `: ${scrub(errorDescription, context.secrets)}` : '';
  if (REDIRECTS.includes(response.status)) {
    code = error ? code : '';
    description +=
      ` (a redirect${redirectTarget(response)}); a token request does not follow redirects, ` +
      'since its body carries credentials: set tokenUrl to the address it leads to';
  }
  // The fields too (as sent, only redacted): a server may echo what it was sent, and an error
  // is printed whole.
  const clean = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : redactValues(text, context.secrets);
  return new OAuth2Error(`${context.endpoint} answered ${response.status}${code}${description}`, {
    error: clean(error),
    errorDescription: clean(errorDescription),
    errorUri: clean(errorUri),
    status: response.status,
    history: [response],
  });
}

const REDIRECTS = [301, 302, 303, 307, 308];

/** ` to <origin and path>` of a redirect's Location (no query: it may carry a code or token). */
function redirectTarget(response: AxiosResponse): string {
  const location = headerValue(response, 'location');
  if (typeof location !== 'string') return '';
  try {
    const url = new URL(location, fullPath(response.config ?? {}));
    return ` to ${url.origin}${url.pathname}`;
  } catch {
    return '';
  }
}

function textField(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A server may echo what it was sent; a message must not carry it further. */
function scrub(text: string, secrets: readonly string[]): string {
  // Redacted before it is cut, so that no secret is left half there.
  const redacted = redactValues(text, secrets);
  return Array.from(redacted.slice(0, 300), (c) => (c < ' ' || c === '\x7f' ? ' ' : c)).join('');
}

/** Every string in a parsed JSON value redacted, to a bounded depth (deeper: dropped). */
function redactDeep(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactValues(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth === 0) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets, depth - 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, secrets, depth - 1);
  return copy;
}

/** `text` with every occurrence of each secret replaced. */
function redactValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * The answer's body as a JSON object. The token request asks for text, so axios does not parse
 * it (and does not turn an HTML page into a string silently); a mock adapter may give an object.
 */
function jsonObject(data: unknown): Record<string, unknown> | undefined {
  let value = data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const view = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
    value = new TextDecoder().decode(view);
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/** The fields of a token answer or request that carry a credential (RFC 6749 §4.4.3, §5.1, §6). */
const SECRET_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret'];

/**
 * The token exchange as it stays in `history`: the answer's tokens and the request's secrets
 * replaced by `[redacted]`, so that printing a response's history prints no credential.
 */
export function redactTokenExchange(response: AxiosResponse, secrets: readonly string[]): void {
  const body = jsonObject(response.data);
  if (body) {
    const copy: Record<string, unknown> = { ...body };
    for (const field of SECRET_FIELDS) if (field in copy) copy[field] = REDACTED;
    // An error answer may echo what it was sent (`error_description: "refresh token … expired"`).
    response.data = redactDeep(copy, secrets, 8);
  } else if (typeof response.data === 'string') {
    response.data = redactValues(response.data, secrets);
  }
  const config = response.config as { data?: unknown; headers?: { set?: unknown } } | undefined;
  if (config && typeof config.data === 'string') {
    const form = new URLSearchParams(config.data);
    for (const field of SECRET_FIELDS) if (form.has(field)) form.set(field, REDACTED);
    config.data = form.toString();
  }
  if (config?.headers && typeof config.headers.set === 'function') {
    (config.headers.set as (name: string, value: string) => void)('Authorization', REDACTED);
  }
  // The transport's request object (Node's ClientRequest keeps the raw head in `_header`, with
  // the client's Basic credentials) is not kept with a token exchange.
  response.request = undefined;
}

/** A token given to the constructor or loaded from a store, checked before it is used. */
export function checkedToken(value: unknown, from: string): OAuth2Token | undefined {
  if (value === undefined || value === null) return undefined;
  const problem = tokenProblem(value);
  // The message says what is wrong with the token, never what it is.
  if (problem) throw new TypeError(`OAuth2Auth: the token ${from} ${problem}`);
  return value as OAuth2Token;
}

function tokenProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const { accessToken, refreshToken, expiresAt } = value as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') return 'has no accessToken string';
  if (!HEADER_SAFE_TOKEN.test(accessToken)) return 'has an accessToken that cannot go in a header';
  if (refreshToken !== undefined && typeof refreshToken !== 'string') {
    return 'has a refreshToken that is not a string';
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    return 'has an expiresAt that is not a number (milliseconds since the epoch)';
  }
  return undefined;
}
