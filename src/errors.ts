/**
 * Errors raised by axios-auth-flow itself. Transport and HTTP-status failures stay axios's own
 * `AxiosError`/`CanceledError`, so existing `catch` blocks and `axios.isAxiosError` keep working.
 * No message built here ever contains a credential, a digest or an Authorization value.
 */

/** An auth flow misbehaved: it yielded nothing, yielded something that is not a request, or looped. */
export class AuthFlowError extends Error {
  override readonly name = 'AuthFlowError';
}

/**
 * A netrc file could not be used: missing, unreadable, too open (the default `~/.netrc` only, as
 * Python checks it) or holding credentials that Basic cannot carry. Raised when the `NetRCAuth`
 * is made, never on a request. `file` is the path; `code` is the system error code when there is
 * one (`ENOENT`, `EACCES`, `EISDIR`). The message names the file and never quotes its content.
 */
export class NetrcError extends Error {
  override readonly name: string = 'NetrcError';
  readonly file: string;
  readonly code: string | undefined;

  constructor(message: string, file: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = file;
    this.code = options.code;
  }
}

/**
 * A netrc file does not follow the grammar. `line` is where the offending token starts. The
 * token itself is never quoted: a stray word in a netrc file is often half of a password that
 * lacked quotes around a space.
 */
export class NetrcParseError extends NetrcError {
  override readonly name: string = 'NetrcParseError';
  readonly line: number;

  constructor(problem: string, file: string, line: number) {
    super(`netrc file ${file}, line ${line}: ${problem}`, file);
    this.line = line;
  }
}
