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

interface Building {
  scheme: string;
  token68?: string;
  params: Map<string, string>;
}

class Scanner {
  i = 0;

  constructor(
    readonly s: string,
    readonly field: string,
  ) {}

  challenges(): Challenge[] {
    const { s } = this;
    const out: Building[] = [];
    let current: Building | undefined;
    for (;;) {
      this.skipSeparators();
      if (this.i >= s.length) break;
      const start = this.i;
      const param = this.tryParam();
      if (param) {
        if (!current) this.fail('a parameter comes before any auth-scheme', start);
        if (current.token68 !== undefined) {
          this.fail('a parameter follows a token68 in the same challenge', start);
        }
        this.addParam(current.params, param, start);
        this.endOfElement();
        continue;
      }
      const scheme = this.readToken();
      if (scheme === '') this.fail(`expected an auth-scheme ${this.unexpected()}`, this.i);
      current = { scheme: scheme.toLowerCase(), params: new Map() };
      out.push(current);
      if (this.i >= s.length || s.charCodeAt(this.i) === COMMA) continue;
      if (!isWhitespace(s.charCodeAt(this.i))) {
        this.fail('expected a space after the auth-scheme', this.i);
      }
      this.skipWhitespace();
      if (this.i >= s.length || s.charCodeAt(this.i) === COMMA) continue;
      // After the scheme: a token68, or the first auth-param (which the next turn reads).
      const afterScheme = this.i;
      if (this.tryParam()) {
        this.i = afterScheme;
        continue;
      }
      current.token68 = this.readToken68();
      this.endOfElement();
    }
    return out;
  }

  params(into: Map<string, string>): void {
    for (;;) {
      this.skipSeparators();
      if (this.i >= this.s.length) return;
      const start = this.i;
      const param = this.tryParam();
      if (!param) this.fail('expected a name=value parameter', start);
      this.addParam(into, param, start);
      this.endOfElement();
    }
  }

  /**
   * An auth-param at the cursor: name, `=`, value. When the text there is not one (a scheme,
   * a token68 such as `abc==`), the cursor is left where it was and nothing is returned.
   */
  tryParam(): [name: string, value: string] | undefined {
    const { s } = this;
    const start = this.i;
    const name = this.readToken();
    if (name === '') return undefined;
    this.skipWhitespace(); // BWS
    if (s.charCodeAt(this.i) !== EQUALS) {
      this.i = start;
      return undefined;
    }
    this.i++;
    this.skipWhitespace(); // BWS
    const c = s.charCodeAt(this.i);
    if (c === QUOTE) return [name.toLowerCase(), this.readQuoted()];
    if (!isValueStart(c)) {
      this.i = start;
      return undefined;
    }
    const valueStart = this.i;
    while (this.i < s.length && isValueChar(s.charCodeAt(this.i))) this.i++;
    return [name.toLowerCase(), s.slice(valueStart, this.i)];
  }

  addParam(params: Map<string, string>, [name, value]: [string, string], at: number): void {
    // RFC 9110 §11.2: each parameter name MUST only occur once per challenge.
    if (params.has(name)) this.fail(`the parameter "${name}" appears twice`, at);
    params.set(name, value);
  }

  readToken(): string {
    const { s } = this;
    const start = this.i;
    while (this.i < s.length && isTchar(s.charCodeAt(this.i))) this.i++;
    return s.slice(start, this.i);
  }

  readToken68(): string {
    const { s } = this;
    const start = this.i;
    while (this.i < s.length && isToken68(s.charCodeAt(this.i))) this.i++;
    if (this.i === start) {
      this.fail(`expected a token68 or a parameter ${this.unexpected()}`, this.i);
    }
    while (this.i < s.length && s.charCodeAt(this.i) === EQUALS) this.i++;
    return s.slice(start, this.i);
  }

  /** A quoted-string (RFC 9110 §5.6.4) at the cursor, with its quoted-pairs unescaped. */
  readQuoted(): string {
    const { s } = this;
    const open = this.i++;
    let escapes = false;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === QUOTE) {
        const raw = s.slice(open + 1, this.i++);
        return escapes ? unescapeQuotedPairs(raw) : raw;
      }
      if (c === BACKSLASH) {
        if (this.i + 1 >= s.length) break;
        if (isControl(s.charCodeAt(this.i + 1))) {
          this.fail('a control character in a quoted string', this.i + 1);
        }
        escapes = true;
        this.i += 2;
        continue;
      }
      if (isControl(c)) this.fail('a control character in a quoted string', this.i);
      this.i++;
    }
    return this.fail('a quoted string is not closed', open);
  }

  /** After a list element: optional whitespace, then a comma or the end. */
  endOfElement(): void {
    this.skipWhitespace();
    if (this.i < this.s.length && this.s.charCodeAt(this.i) !== COMMA) {
      this.fail(`expected "," ${this.unexpected()}`, this.i);
    }
  }

  /** OWS and commas between list elements; empty elements are allowed (RFC 9110 §5.6.1). */
  skipSeparators(): void {
    const { s } = this;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== COMMA && !isWhitespace(c)) return;
      this.i++;
    }
  }

  skipWhitespace(): void {
    while (this.i < this.s.length && isWhitespace(this.s.charCodeAt(this.i))) this.i++;
  }

  /** Describes the character at the cursor by kind, not by value. */
  unexpected(): string {
    const c = this.s.charCodeAt(this.i);
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
  let text = '';
  for (let i = 0; i < n; i += 0x2000) {
    text += String.fromCharCode(...out.subarray(i, Math.min(n, i + 0x2000)));
  }
  return text;
}

/** CTLs other than HTAB (RFC 5234 CTL; RFC 9110 qdtext and quoted-pair exclude them). */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== TAB) || c === 0x7f;
}
