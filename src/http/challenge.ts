/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1, grammar of §11.1–§11.3 and §5.6).
 *
 *   WWW-Authenticate = #challenge
 *   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * Challenges and their parameters share one comma-separated list, so a list element is an
 * auth-param when a name is followed by `=` and a value, and a new challenge otherwise. Node
 * folds repeated `WWW-Authenticate` headers into one string joined by ", ", which this grammar
 * reads as the same list; an array (axios-mock-adapter, fetch polyfills) is parsed per element.
 *
 * Hand-written (docs/decisions.md says which packages were compared): one pass, each character
 * read a bounded number of times, no backtracking regular expression, so time grows linearly
 * with the header.
 *
 * Errors name the problem and its character position, never the header's text: a header can
 * carry a nonce or an opaque value that does not belong in logs.
 */
import { ChallengeParseError } from '../errors.js';

/** One challenge: an auth-scheme and either parameters or a token68. */
export interface Challenge {
  /** The auth-scheme in lower case: schemes are case-insensitive (RFC 9110 §11.1). */
  readonly scheme: string;
  /** The token68 (`Negotiate YII=`), when the challenge carries one instead of parameters. */
  readonly token68?: string;
  /** Parameters by lower-case name (RFC 9110 §11.2), quoted-string values unescaped. */
  readonly params: ReadonlyMap<string, string>;
}

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

// tchar (RFC 9110 §5.6.2) and the token68 alphabet, as lookup tables over ASCII.
const TCHAR = new Uint8Array(128);
const TOKEN68 = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  TCHAR[c] = alnum || "!#$%&'*+-.^_`|~".includes(ch) ? 1 : 0;
  TOKEN68[c] = alnum || '-._~+/'.includes(ch) ? 1 : 0;
}

const isTchar = (c: number): boolean => c < 128 && TCHAR[c] === 1;
const isToken68 = (c: number): boolean => c < 128 && TOKEN68[c] === 1;
const isWhitespace = (c: number): boolean => c === SPACE || c === TAB;
/**
 * Characters of an unquoted parameter value. RFC 9110 allows a token only; `/` is accepted too,
 * because servers (cameras, some Digest implementations) send base64 nonces unquoted. A value
 * may not start with `=`, so that `abc==` stays a token68.
 */
const isValueStart = (c: number): boolean => isTchar(c) || c === SLASH;
const isValueChar = (c: number): boolean => isValueStart(c) || c === EQUALS;

/**
 * Every challenge in a `WWW-Authenticate` value, in order. An array is read as several header
 * lines. `undefined`, `null` and an empty value give no challenges.
 *
 * @example
 * parseChallenges('Basic realm="x", Digest realm="a, b", nonce="n"');
 * // [{ scheme: 'basic', params: {realm: 'x'} }, { scheme: 'digest', params: {realm: 'a, b', nonce: 'n'} }]
 * @throws ChallengeParseError when the value does not follow RFC 9110 §11.
 */
export function parseChallenges(
  header: string | readonly string[] | null | undefined,
  field = 'WWW-Authenticate',
): Challenge[] {
  if (header === undefined || header === null) return [];
  if (typeof header !== 'string') return header.flatMap((line) => parseChallenges(line, field));
  return new Scanner(header, field).challenges();
}

/**
 * The `#auth-param` list of an `Authentication-Info` value (RFC 9110 §11.6.3), by lower-case
 * name.
 * @throws ChallengeParseError when the value is not a list of name=value pairs.
 */
export function parseAuthParams(
  value: string | readonly string[],
  field = 'Authentication-Info',
): Map<string, string> {
  const params = new Map<string, string>();
  const lines = typeof value === 'string' ? [value] : value;
  for (const line of lines) new Scanner(line, field).params(params);
  return params;
}

/**
 * The params of a challenge that has none (a bare scheme, a token68). Shared, so that a header
 * of a million bare schemes does not cost a million Maps; its mutators throw, so that no caller
 * can change what every such challenge sees.
 */
const NO_PARAMS: ReadonlyMap<string, string> = Object.freeze(
  Object.assign(new Map<string, string>(), {
    set: readOnlyParams,
    delete: readOnlyParams,
    clear: readOnlyParams,
  }),
);

function readOnlyParams(): never {
  throw new TypeError('the params of a parsed challenge are read-only');
}

/** A challenge being read: `params` is NO_PARAMS until its first parameter comes. */
interface Building {
  scheme: string;
  token68?: string;
  params: ReadonlyMap<string, string>;
}

/**
 * A run of qdtext (RFC 9110 §5.6.4): neither `"`, `\`, nor a CTL other than HTAB. Quoted strings
 * are the long runs of a header (nonces, opaque values, domain lists): one character class with
 * `*` and the sticky flag reads each character once, cannot backtrack, and runs natively. Short
 * runs (tokens, whitespace) are cheaper as loops over char codes than as a regex call.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it excludes
const QDTEXT_RUN = /[^"\\\x00-\x08\x0a-\x1f\x7f]*/y;

/**
 * One pass over one header value. `position` only moves forward, except that the value after a
 * name is tried as an auth-param and, when it is not one, the scan goes back to just after the
 * name (a bounded step: the BWS and one character), so each character is read a bounded number
 * of times.
 */
class Scanner {
  position = 0;

  constructor(
    readonly text: string,
    readonly field: string,
  ) {}

  challenges(): Challenge[] {
    const { text } = this;
    const out: Building[] = [];
    let current: Building | undefined;
    for (;;) {
      this.skipSeparators();
      if (this.position >= text.length) break;
      const start = this.position;
      const name = this.readToken();
      if (name === '') this.fail(`expected an auth-scheme ${this.unexpected()}`, start);
      const value = this.tryParamValue();
      if (value !== undefined) {
        if (!current) this.fail('a parameter comes before any auth-scheme', start);
        if (current.token68 !== undefined) {
          this.fail('a parameter follows a token68 in the same challenge', start);
        }
        if (current.params === NO_PARAMS) current.params = new Map();
        this.addParam(current.params as Map<string, string>, name.toLowerCase(), value, start);
        this.endOfElement();
        continue;
      }
      // One object per challenge, built in place: a header of bare schemes is mostly these.
      current = { scheme: name.toLowerCase(), params: NO_PARAMS };
      out.push(current);
      if (this.position >= text.length || text.charCodeAt(this.position) === COMMA) continue;
      if (!isWhitespace(text.charCodeAt(this.position))) {
        this.fail('expected a space after the auth-scheme', this.position);
      }
      this.skipWhitespace();
      if (this.position >= text.length || text.charCodeAt(this.position) === COMMA) continue;
      // After the scheme: the first auth-param (which the next turn reads), or a token68.
      const afterScheme = this.position;
      if (this.readToken() !== '' && this.tryParamValue() !== undefined) {
        this.position = afterScheme;
        continue;
      }
      this.position = afterScheme;
      current.token68 = this.readToken68();
      this.endOfElement();
    }
    return out;
  }

  params(into: Map<string, string>): void {
    for (;;) {
      this.skipSeparators();
      if (this.position >= this.text.length) return;
      const start = this.position;
      const name = this.readToken();
      const value = name === '' ? undefined : this.tryParamValue();
      if (value === undefined) this.fail('expected a name=value parameter', start);
      this.addParam(into, name.toLowerCase(), value, start);
      this.endOfElement();
    }
  }

  /**
   * With the cursor just after a name: BWS, `=`, BWS and a value make it an auth-param, whose
   * value is returned. Otherwise (a scheme, a token68 such as `abc==`) the cursor goes back to
   * just after the name and nothing is returned.
   */
  tryParamValue(): string | undefined {
    const { text } = this;
    const afterName = this.position;
    this.skipWhitespace(); // BWS
    if (text.charCodeAt(this.position) !== EQUALS) {
      this.position = afterName;
      return undefined;
    }
    this.position++;
    this.skipWhitespace(); // BWS
    const c = text.charCodeAt(this.position);
    if (c === QUOTE) return this.readQuoted();
    if (!isValueStart(c)) {
      this.position = afterName;
      return undefined;
    }
    const valueStart = this.position;
    let end = valueStart;
    while (end < text.length && isValueChar(text.charCodeAt(end))) end++;
    this.position = end;
    return text.slice(valueStart, end);
  }

  addParam(params: Map<string, string>, name: string, value: string, at: number): void {
    // RFC 9110 §11.2: each parameter name MUST only occur once per challenge.
    if (params.has(name)) this.fail(`the parameter "${name}" appears twice`, at);
    params.set(name, value);
  }

  readToken(): string {
    const { text } = this;
    const start = this.position;
    let end = start;
    while (end < text.length && isTchar(text.charCodeAt(end))) end++;
    this.position = end;
    return text.slice(start, end);
  }

  readToken68(): string {
    const { text } = this;
    const start = this.position;
    let end = start;
    while (end < text.length && isToken68(text.charCodeAt(end))) end++;
    if (end === start) this.fail(`expected a token68 or a parameter ${this.unexpected()}`, end);
    while (end < text.length && text.charCodeAt(end) === EQUALS) end++;
    this.position = end;
    return text.slice(start, end);
  }

  /** A quoted-string (RFC 9110 §5.6.4) at the cursor, with its quoted-pairs unescaped. */
  readQuoted(): string {
    const { text } = this;
    const open = this.position++;
    let escapes = false;
    let at = this.position;
    for (;;) {
      QDTEXT_RUN.lastIndex = at;
      QDTEXT_RUN.test(text);
      at = QDTEXT_RUN.lastIndex;
      // A run of quoted-pairs (`\"\"\"…`) is read here rather than one regex call per pair.
      while (at < text.length && text.charCodeAt(at) === BACKSLASH) {
        if (at + 1 >= text.length) break;
        if (isControl(text.charCodeAt(at + 1))) {
          this.fail('a control character in a quoted string', at + 1);
        }
        escapes = true;
        at += 2;
      }
      if (at >= text.length || text.charCodeAt(at) === BACKSLASH) break;
      const c = text.charCodeAt(at);
      if (c === QUOTE) {
        this.position = at + 1;
        const raw = text.slice(open + 1, at);
        return escapes ? unescapeQuotedPairs(raw) : raw;
      }
      if (isControl(c)) this.fail('a control character in a quoted string', at);
    }
    return this.fail('a quoted string is not closed', open);
  }

  /** After a list element: optional whitespace, then a comma or the end. */
  endOfElement(): void {
    this.skipWhitespace();
    if (this.position < this.text.length && this.text.charCodeAt(this.position) !== COMMA) {
      this.fail(`expected "," ${this.unexpected()}`, this.position);
    }
  }

  /** OWS and commas between list elements; empty elements are allowed (RFC 9110 §5.6.1). */
  skipSeparators(): void {
    const { text } = this;
    let at = this.position;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c !== COMMA && !isWhitespace(c)) break;
    }
    this.position = at;
  }

  skipWhitespace(): void {
    const { text } = this;
    let at = this.position;
    while (at < text.length && isWhitespace(text.charCodeAt(at))) at++;
    this.position = at;
  }

  /** Describes the character at the cursor by kind, not by value. */
  unexpected(): string {
    const c = this.text.charCodeAt(this.position);
    if (Number.isNaN(c)) return 'but the value ended';
    if (c === QUOTE) return 'but found a quote';
    if (c === EQUALS) return 'but found "="';
    if (c === COMMA) return 'but found ","';
    if (isControl(c)) return 'but found a control character';
    return 'but found an unexpected character';
  }

  fail(problem: string, position: number): never {
    throw new ChallengeParseError(
      `${this.field} header is malformed: ${problem} (at character ${position})`,
      position,
    );
  }
}

/**
 * The content of a quoted-string with each `\x` replaced by `x`, in one pass over char codes:
 * a concatenation per escape would make a header full of escapes slow to read.
 */
function unescapeQuotedPairs(raw: string): string {
  const out = new Uint16Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c === BACKSLASH) c = raw.charCodeAt(++i);
    out[n++] = c;
  }
  // Chunks of 8192 code units, passed as the typed array itself: a spread would copy each
  // chunk into an array first (six times slower on a header of escapes), and one call for the
  // whole value would exceed the engine's argument limit.
  let text = '';
  for (let i = 0; i < n; i += 0x2000) {
    text += Reflect.apply(
      String.fromCharCode,
      null,
      out.subarray(i, Math.min(n, i + 0x2000)),
    ) as string;
  }
  return text;
}

/** CTLs other than HTAB (RFC 5234 CTL; RFC 9110 qdtext and quoted-pair exclude them). */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== TAB) || c === 0x7f;
}
