/**
 * The netrc file format, read the way curl and Python's `netrc` module read it.
 *
 * Hand-written: the npm package the design first named, `netrc-parser`, fails most of the
 * conformance table (docs/decisions.md has the comparison).
 *
 * The grammar, as Python's `netrc` (the module httpx's NetRCAuth uses) implements it:
 * - Tokens are separated by spaces, tabs and line ends (LF, CRLF or a lone CR, as Python's
 *   universal newlines read them). A token that starts with `"` runs to the next unescaped `"`
 *   and may hold spaces; in any token a backslash takes the next character literally.
 * - At the top level: `machine NAME`, `default`, or `macdef NAME`. After `machine` or `default`,
 *   any of `login` (or `user`), `password`, `account`, each followed by its value, until the next
 *   `machine`, `default`, `macdef` or the end of the file. A value is always the next token, so
 *   `password #55` and `password machine` are passwords.
 * - Where a keyword is expected, a token starting with `#` begins a comment that runs to the end
 *   of its line; a `#` inside a value (`pa#55`) is part of the value.
 * - `macdef NAME` (an ftp macro) is skipped: the rest of its line, then every line up to the first
 *   empty one.
 * - A machine listed twice keeps its last entry; so does `default`.
 *
 * Where this reader differs from Python 3.11's, the conformance table says so row by row: host
 * names match without regard to case (DNS names do); a comment after a blank line is a comment
 * (Python reads `# machine …` there as an entry, cpython#104306); and a file that Python reads
 * with a silent loss (a `login` or `password` with no value at the end, an unterminated quote that
 * swallows the rest of the file, a stray `""` that ends the parse) is an error here. A `macdef`
 * body starts on the next line, as ftp's manual and curl have it; Python counts what follows the
 * macro's name on its line as the first body line, so a trailing space there ends the macro.
 */
import { NetrcParseError } from '../../errors.js';

/** One `machine` or `default` entry. Fields the file does not give are empty strings. */
export interface NetrcEntry {
  /** The host name as written in the file; undefined for the `default` entry. */
  readonly machine: string | undefined;
  readonly login: string;
  readonly account: string;
  readonly password: string;
  /** The line the entry starts on, so that messages can point at it without quoting it. */
  readonly line: number;
}

/** A parsed netrc file. */
export class Netrc {
  readonly #machines: ReadonlyMap<string, NetrcEntry>;
  /** The `default` entry, which serves every host that has no entry of its own. */
  readonly default: NetrcEntry | undefined;

  constructor(machines: ReadonlyMap<string, NetrcEntry>, fallback: NetrcEntry | undefined) {
    this.#machines = machines;
    this.default = fallback;
  }

  /** Every `machine` entry, the last one for a host listed twice, in file order. */
  get machines(): NetrcEntry[] {
    return [...this.#machines.values()];
  }

  /**
   * The entry for a host (matched without regard to case), else the `default` entry, else
   * undefined: Python's `authenticators`. An entry without a password is still returned; whether
   * that means "no credentials" is the caller's decision, as in httpx.
   */
  authenticators(host: string): NetrcEntry | undefined {
    return this.#machines.get(hostKey(host)) ?? this.default;
  }
}

/**
 * The form under which host names are compared: lower case, without the brackets of an IPv6
 * literal, and an internationalised name in its ASCII (punycode) form, which is what a request's
 * `URL.hostname` carries.
 */
export function hostKey(host: string): string {
  let key = host.toLowerCase();
  if (key.startsWith('[') && key.endsWith(']')) key = key.slice(1, -1);
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(key)) key = asciiHostname(key) ?? key;
  return key;
}

/** The IDNA (punycode) form of a Unicode host name, or undefined when it is not a host name. */
function asciiHostname(name: string): string | undefined {
  let url: URL;
  try {
    url = new URL(`http://${name}/`);
  } catch {
    return undefined;
  }
  // A name with `/`, `?`, `#`, `@` or `:` in it parses as something else than a bare host.
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.port;
  return bare ? url.hostname : undefined;
}

/**
 * Parse the text of a netrc file. `file` only names the file in error messages.
 * @throws NetrcParseError naming the file and line, never quoting a token.
 */
export function parseNetrc(text: string, file: string): Netrc {
  return new Parser(new Lexer(text, file)).parse();
}

interface Token {
  readonly text: string;
  readonly line: number;
  /** True when the token ended at a line end (so a comment or a macdef line is already over). */
  readonly endedLine: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n']);
const ENTRY_START = new Set(['machine', 'default', 'macdef']);

class Lexer {
  readonly #text: string;
  readonly file: string;
  #pos = 0;
  #line = 1;
  #pushedBack: Token | undefined;

  constructor(text: string, file: string) {
    // Python reads the file with universal newlines: CRLF and a lone CR are line ends.
    this.#text = text.replace(/\r\n?/g, '\n');
    this.file = file;
  }

  /** The next token, or undefined at the end of the file. */
  next(): Token | undefined {
    if (this.#pushedBack) {
      const token = this.#pushedBack;
      this.#pushedBack = undefined;
      return token;
    }
    const text = this.#text;
    while (this.#pos < text.length && WHITESPACE.has(text[this.#pos] as string)) this.#advance();
    if (this.#pos >= text.length) return undefined;
    const line = this.#line;
    let value = '';
    if (text[this.#pos] === '"') {
      this.#advance();
      for (;;) {
        if (this.#pos >= text.length) {
          throw new NetrcParseError('a quoted token has no closing "', this.file, line);
        }
        let ch = this.#advance();
        if (ch === '"') return { text: value, line, endedLine: false };
        if (ch === '\\') {
          if (this.#pos >= text.length) {
            throw new NetrcParseError('a quoted token has no closing "', this.file, line);
          }
          ch = this.#advance();
        }
        value += ch;
      }
    }
    while (this.#pos < text.length) {
      let ch = this.#advance();
      if (WHITESPACE.has(ch)) return { text: value, line, endedLine: ch === '\n' };
      if (ch === '\\') {
        if (this.#pos >= text.length) break; // a backslash at the very end escapes nothing
        ch = this.#advance();
      }
      value += ch;
    }
    return { text: value, line, endedLine: true };
  }

  pushBack(token: Token): void {
    this.#pushedBack = token;
  }

  /** Skip what is left of the current line, up to and including its line end. */
  skipLine(): void {
    const end = this.#text.indexOf('\n', this.#pos);
    this.#pos = end === -1 ? this.#text.length : end + 1;
    if (end !== -1) this.#line++;
  }

  /** The next whole line without its line end, or undefined at the end of the file. */
  readLine(): string | undefined {
    if (this.#pos >= this.#text.length) return undefined;
    const start = this.#pos;
    this.skipLine();
    const line = this.#text.slice(start, this.#pos);
    return line.endsWith('\n') ? line.slice(0, -1) : line;
  }

  #advance(): string {
    const ch = this.#text[this.#pos++] as string;
    if (ch === '\n') this.#line++;
    return ch;
  }
}

class Parser {
  readonly #lexer: Lexer;
  readonly #machines = new Map<string, NetrcEntry>();
  #default: NetrcEntry | undefined;

  constructor(lexer: Lexer) {
    this.#lexer = lexer;
  }

  parse(): Netrc {
    const lexer = this.#lexer;
    for (let token = lexer.next(); token; token = lexer.next()) {
      if (this.#isComment(token)) continue;
      switch (token.text) {
        case 'machine': {
          const name = this.#value(token, 'a host name');
          if (name.text === '') this.#fail('"machine" has an empty host name', name.line);
          const entry = this.#entry(name.text, token.line);
          // Python keeps the last entry for a host listed twice; delete first so that the
          // entry also takes the last position, as file order is what `machines` reports.
          this.#machines.delete(hostKey(name.text));
          this.#machines.set(hostKey(name.text), entry);
          break;
        }
        case 'default':
          this.#default = this.#entry(undefined, token.line);
          break;
        case 'macdef':
          this.#skipMacro(token);
          break;
        default:
          this.#fail('expected "machine", "default" or "macdef"', token.line);
      }
    }
    return new Netrc(this.#machines, this.#default);
  }

  /** The fields after `machine NAME` or `default`, up to the next entry or the end. */
  #entry(machine: string | undefined, line: number): NetrcEntry {
    const lexer = this.#lexer;
    const fields = { login: '', account: '', password: '' };
    for (let token = lexer.next(); token; token = lexer.next()) {
      if (this.#isComment(token)) continue;
      if (ENTRY_START.has(token.text)) {
        lexer.pushBack(token);
        break;
      }
      switch (token.text) {
        case 'login':
        case 'user':
          fields.login = this.#value(token, 'a login').text;
          break;
        case 'account':
          fields.account = this.#value(token, 'an account').text;
          break;
        case 'password':
          fields.password = this.#value(token, 'a password').text;
          break;
        default:
          this.#fail(
            token.text === ''
              ? 'an empty quoted token stands where a keyword was expected'
              : 'expected "login", "password", "account", "machine", "default" or "macdef"; ' +
                  'a value with spaces must be in double quotes',
            token.line,
          );
      }
    }
    return { machine, ...fields, line };
  }

  /** The token after a keyword, whatever it is: `password machine` is a password. */
  #value(keyword: Token, what: string): Token {
    const value = this.#lexer.next();
    if (!value) this.#fail(`"${keyword.text}" is not followed by ${what}`, keyword.line);
    return value;
  }

  /** A `#` where a keyword is expected comments out the rest of its line. */
  #isComment(token: Token): boolean {
    if (!token.text.startsWith('#')) return false;
    if (!token.endedLine) this.#lexer.skipLine();
    return true;
  }

  /** `macdef NAME`: the rest of the line, then the body up to the first empty line. */
  #skipMacro(keyword: Token): void {
    const name = this.#value(keyword, 'a macro name');
    if (!name.endedLine) this.#lexer.skipLine();
    for (;;) {
      const line = this.#lexer.readLine();
      if (line === undefined) {
        this.#fail(
          '"macdef" is not ended by an empty line before the end of the file',
          keyword.line,
        );
      }
      if (line === '') return;
    }
  }

  #fail(problem: string, line: number): never {
    throw new NetrcParseError(problem, this.#lexer.file, line);
  }
}
