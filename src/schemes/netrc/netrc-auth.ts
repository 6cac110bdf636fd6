/**
 * NetRC authentication, httpx's `NetRCAuth`: Basic credentials for the host a request goes to,
 * taken from a netrc file (`~/.netrc`, an explicit file, or `process.env.NETRC`).
 *
 * The file is read once, when the auth is made, so that a missing, unreadable or malformed file
 * is reported there and not on some later request, and so that a flow never does I/O. Node only:
 * `fs`, `os` and `path` are loaded through `process.getBuiltinModule` when a `NetRCAuth` is made,
 * so that a browser bundle of the package does not pull them in.
 *
 * What is read is bounded before it is read: the file is opened without blocking (a FIFO with
 * no writer would otherwise hold the event loop forever), checked through that descriptor to be
 * a regular file (not a FIFO, a device such as /dev/zero, a socket or a directory) of at most
 * `MAX_NETRC_BYTES`, and read no further than that bound even if it grows meanwhile.
 */
import { Auth, type AuthFlow } from '../../auth.js';
import { basicAuthorization } from '../basic.js';
import { basicCanCarry } from '../credentials.js';
import { NetrcError } from '../../errors.js';
import { hasHeaderBreakingCharacter } from '../../http/headers.js';
import { REDACTED, inspectSymbol } from '../../util/redaction.js';
import { Netrc, parseNetrc, type NetrcEntry } from './netrc-file.js';
import { nodeModule } from '../../util/node-builtins.js';
import type { AuthRequest } from '../../request.js';

type Fs = typeof import('node:fs');

/**
 * The largest netrc file read: 1 MiB, thousands of times a real one. A larger "file" is a
 * mistake (a log, an image, /dev/zero through a link), and reading it whole would cost memory
 * for nothing.
 */
export const MAX_NETRC_BYTES = 1024 * 1024;

/** Options of `NetRCAuth`. */
export interface NetRCAuthOptions {
  /**
   * The netrc file. Undefined or empty means `~/.netrc` in the user's home directory, so
   * `{ file: process.env.NETRC }` falls back to it when the variable is unset or set to nothing
   * (`NETRC=`), as a shell's `${NETRC:-~/.netrc}` reads it.
   */
  file?: string | undefined;
}

export class NetRCAuth extends Auth {
  /** The absolute path of the file the credentials were read from. */
  readonly file: string;
  readonly #netrc: Netrc;
  /**
   * The `Authorization` value of each entry, built (and checked) when the auth is made so that
   * a bad entry is reported there; undefined for an entry without a password.
   */
  readonly #authorizations: ReadonlyMap<NetrcEntry, string | undefined>;

  /**
   * @example new NetRCAuth()                              // ~/.netrc
   * @example new NetRCAuth({ file: '/path/to/.netrc' })
   * @example new NetRCAuth({ file: process.env.NETRC })   // or ~/.netrc when NETRC is unset
   * @throws NetrcError when the file is missing (`ENOENT`), unreadable (`EACCES`), a directory
   *   (`EISDIR`), not a regular file (`ENOTREG`: a FIFO, a device), larger than 1 MiB (`EFBIG`),
   *   or (the default ~/.netrc only, as in Python) open to other users; NetrcParseError when it
   *   cannot be parsed.
   */
  constructor(options?: string | NetRCAuthOptions);
  constructor(options: string | NetRCAuthOptions | undefined = {}) {
    super();
    const given = typeof options === 'string' ? options : readOptions(options);
    const path = nodeModule<typeof import('node:path')>('node:path');
    // An empty path names no file: `NETRC=` is the variable set to nothing, which shells and
    // tools read as unset. (Python's netrc would try to open '' and fail with ENOENT.)
    const isDefault = given === undefined || given === '';
    this.file = isDefault ? path.join(homeDirectory(), '.netrc') : path.resolve(given);
    this.#netrc = readNetrc(this.file, isDefault);
    const { machines, default: fallback } = this.#netrc;
    this.#authorizations = new Map(
      (fallback ? [...machines, fallback] : machines).map((entry) => [
        entry,
        authorizationFor(entry, this.file),
      ]),
    );
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    // The parser's own lookup (host, else `default`): a host's entry wins even when it has no
    // password (no credentials then), as in httpx.
    const entry = this.#netrc.authenticators(request.url.hostname);
    const authorization = entry && this.#authorizations.get(entry);
    if (authorization !== undefined) request.headers.set('Authorization', authorization);
    yield request;
  }

  override [inspectSymbol](): string {
    return `NetRCAuth { file: ${JSON.stringify(this.file)}, passwords: '${REDACTED}' }`;
  }

  override toJSON(): Record<string, unknown> {
    return { type: 'NetRCAuth', file: this.file, passwords: REDACTED };
  }
}

/**
 * The user's home directory as Python's `expanduser('~')` finds it: `$HOME` first on POSIX, then
 * the system's answer. Reading `process.env` (not only `os.homedir()`) keeps to the environment
 * the program sees, which is the one a test runner or a wrapper script may have changed.
 */
function homeDirectory(): string {
  const home = process.platform === 'win32' ? undefined : process.env.HOME;
  return home || nodeModule<typeof import('node:os')>('node:os').homedir();
}

function readOptions(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('NetRCAuth takes a file path, { file }, or nothing (for ~/.netrc)');
  }
  const { file } = options as { file?: unknown };
  if (file !== undefined && typeof file !== 'string') {
    throw new TypeError('NetRCAuth: `file` must be a path string, or undefined for ~/.netrc');
  }
  return file;
}

/** Read and parse the file through one descriptor, so that what is checked is what is read. */
function readNetrc(file: string, isDefault: boolean): Netrc {
  const fs = nodeModule<Fs>('node:fs');
  const { O_RDONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading waits for a writer, which would block the event
    // loop for good; non-blocking, it opens at once and fstat below refuses it. (Windows has
    // neither flag nor FIFOs.) O_NOCTTY: a terminal device named as the file is not adopted.
    fd = fs.openSync(
      file,
      O_NONBLOCK === undefined ? 'r' : O_RDONLY | O_NONBLOCK | (O_NOCTTY ?? 0),
    );
  } catch (error) {
    throw fileError(file, error);
  }
  try {
    let stats: import('node:fs').Stats;
    let bytes: Uint8Array;
    try {
      stats = fs.fstatSync(fd);
      checkRegularAndSmall(file, stats);
      bytes = readBounded(fs, fd, file);
    } catch (error) {
      throw error instanceof NetrcError ? error : fileError(file, error);
    }
    const netrc = parseNetrc(decodeUtf8(bytes, file), file);
    if (isDefault) checkPrivate(file, stats, netrc);
    return netrc;
  } finally {
    fs.closeSync(fd);
  }
}

/** Refuses, before reading, what is not a regular file of at most MAX_NETRC_BYTES. */
function checkRegularAndSmall(file: string, stats: import('node:fs').Stats): void {
  if (stats.isDirectory()) {
    throw new NetrcError(`netrc file ${file} is a directory`, file, { code: 'EISDIR' });
  }
  if (!stats.isFile()) {
    throw new NetrcError(`netrc file ${file} is ${fileKind(stats)}; it is not read`, file, {
      code: 'ENOTREG',
    });
  }
  if (stats.size > MAX_NETRC_BYTES) tooLarge(file);
}

function fileKind(stats: import('node:fs').Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device, not a regular file';
  if (stats.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

function tooLarge(file: string): never {
  throw new NetrcError(
    `netrc file ${file} is larger than ${MAX_NETRC_BYTES} bytes (1 MiB); it is not read`,
    file,
    { code: 'EFBIG' },
  );
}

/** The file's bytes, read no further than the bound, even if the file grew since fstat. */
function readBounded(fs: Fs, fd: number, file: string): Uint8Array {
  const buffer = new Uint8Array(MAX_NETRC_BYTES + 1);
  let length = 0;
  for (;;) {
    const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
    if (length > MAX_NETRC_BYTES) tooLarge(file);
  }
  return buffer.subarray(0, length);
}

function fileError(file: string, error: unknown): NetrcError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read: permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read${typeof code === 'string' ? ` (${code})` : ''}`;
  return new NetrcError(`netrc file ${file} ${reason}`, file, {
    ...(typeof code === 'string' ? { code } : {}),
    cause: error,
  });
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NetrcError(`netrc file ${file} is not valid UTF-8`, file);
  }
}

/**
 * Python's check on the default `~/.netrc` (POSIX only, and only when the file holds an entry
 * whose login is not "anonymous"): it must belong to the current user and give no permission to
 * group or others. An explicit file is the caller's choice and is not checked, as in Python.
 */
function checkPrivate(file: string, stats: import('node:fs').Stats, netrc: Netrc): void {
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return;
  const entries = netrc.default ? [...netrc.machines, netrc.default] : netrc.machines;
  if (!entries.some((entry) => entry.login !== 'anonymous')) return;
  if (stats.uid !== uid) {
    throw new NetrcError(
      `~/.netrc (${file}) belongs to uid ${stats.uid}, not to the current user (uid ${uid})`,
      file,
      { code: 'EOWNER' },
    );
  }
  const mode = stats.mode & 0o777;
  if (mode & 0o077) {
    throw new NetrcError(
      `~/.netrc (${file}) can be accessed by group or others (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `it holds passwords, so allow only its owner: chmod 600 ${file}`,
      file,
      { code: 'EPERMISSIVE' },
    );
  }
}

/**
 * The Basic header an entry gives, checked now so that nothing with a bad header is ever sent.
 * An entry without a password gives none, as in httpx.
 */
function authorizationFor(entry: NetrcEntry, file: string): string | undefined {
  if (entry.password === '') return undefined;
  const which = entry.machine === undefined ? 'the default entry' : `machine ${entry.machine}`;
  const where = `netrc file ${file}, line ${entry.line} (${which})`;
  if (!basicCanCarry(entry.login)) {
    throw new NetrcError(`${where}: the login contains ":", which Basic cannot carry`, file);
  }
  if (hasHeaderBreakingCharacter(entry.login) || hasHeaderBreakingCharacter(entry.password)) {
    throw new NetrcError(`${where}: the login or password contains CR, LF or NUL`, file);
  }
  return basicAuthorization(entry.login, entry.password);
}
