/**
 * Real, independent HTTP servers for the interop suite: lighttpd and Apache httpd, as Debian
 * packages them. Our own in-process server proves that DigestAuth does what we think RFC 7616
 * says; these prove that it does what deployed servers accept, which is what users need.
 *
 * lighttpd 1.4.69 (`conf/lighttpd.conf.in`; package `lighttpd`) is the server with the most of
 * RFC 7616: mod_auth with the htdigest backend of mod_authn_file, one realm per location:
 * - `/md5/`: algorithm MD5, users olivia and the non-ASCII "Jäsøn Doe". lighttpd's challenges
 *   carry `charset="UTF-8"`, so the non-ASCII name must go as `username*` (RFC 7616 §3.4.4);
 * - `/sha256/`, `/sha512-256/`: SHA-256 and SHA-512-256 (lighttpd is built with nettle, which
 *   has SHA-512/256);
 * - `/userhash/`: SHA-256 with `userhash=true` (the client sends H(user:realm) as the name);
 * - `/rfc7616/`: the setting of RFC 7616 §3.9.2: realm api@example.org, SHA-512-256, userhash,
 *   user "Jäsøn Doe", password "Secret, or not?";
 * - `/two-challenges/`: `"algorithm" => "SHA-256|MD5"`, so one 401 carries two Digest
 *   challenges (as two WWW-Authenticate header lines, which Node joins into one);
 * - `/basic/`: Basic against an htpasswd file.
 * lighttpd checks that `uri=` is the request target as sent (query included), and does not
 * track nonce counts. It supports neither qop=auth-int nor the `-sess` algorithms. Its brake
 * on bad credentials (a 401 held back for seconds) is turned off, which changes no header.
 *
 * Apache httpd 2.4 (`conf/apache2.conf.in`; package `apache2`, binary and modules from
 * `apache2-bin`) is the most deployed Digest server. mod_auth_digest 2.4 speaks MD5 with
 * qop=auth only (it refuses `AuthDigestAlgorithm MD5-sess` or `SHA-256` and `AuthDigestQop
 * none` or `auth-int`), and no `username*` or userhash, so it is configured for what it adds:
 * - `/md5/`: `AuthDigestNcCheck On`: httpd refuses a request whose nonce count does not go up,
 *   and sends an `opaque` that must come back: the warm calls (N calls, N+1 exchanges) are
 *   checked by the server itself. Users olivia and "Jäsøn Doe": httpd advertises no charset
 *   and knows no `username*`, so the non-ASCII name must go as raw UTF-8 in `username="..."`;
 * - `/nextnonce/`: a 20 s nonce lifetime; httpd then sends `Authentication-Info: nextnonce`;
 * - `/stale/`: a 1 s nonce lifetime: a call made later gets a 401 with `stale=true`;
 * - `/basic/`: Basic against an htpasswd file.
 *
 * The user files are written by this harness, from the passwords below: an htdigest line is
 * `user:realm:H(user:realm:password)` with H the realm's algorithm, and for a userhash realm a
 * fourth field `H(user:realm)` (lighttpd's extension of the format). The htpasswd files use the
 * `{SHA}` scheme, which both servers verify and Node can compute without a crypt(3).
 *
 * Each server runs in the foreground on 127.0.0.1, on a port found free by binding port 0,
 * from its template filled into a temporary directory (document root, user files, logs). Run
 * as root (as in CI), the servers serve as an unprivileged user (www-data, else nobody), which
 * must be able to read those files. The process is started under a small `sh` watchdog that
 * stops it when the test process dies, so that not even a killed jest worker leaves a server
 * behind; `stop()` stops the whole process group and waits for it.
 *
 * Both servers log each request (the X-Case header the tests set, status, request line,
 * Authorization as received) so that the tests count exchanges and read the headers on the
 * server's side rather than trusting the client's account of them.
 *
 * When a server is not installed, its tests fail with a message naming the package to install
 * (`.ci/run` installs them): a skipped interop test would read as a passed one.
 * INTEROP_LIGHTTPD and INTEROP_APACHE2 name another binary than the one on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type ServerKind = 'lighttpd' | 'apache';

/** An ASCII user. */
export const OLIVIA = { username: 'olivia', password: 'secret' } as const;
/** RFC 7616 §3.9.2's user: a non-ASCII name, a password with a comma and spaces. */
export const JASON = { username: 'Jäsøn Doe', password: 'Secret, or not?' } as const;

/** The realms of the configs in conf/; `writeConfig` checks that each one is in its config. */
export const REALMS = {
  lighttpd: {
    md5: 'lighttpd MD5',
    sha256: 'lighttpd SHA-256',
    sha512_256: 'lighttpd SHA-512-256',
    userhash: 'lighttpd userhash',
    rfc7616: 'api@example.org',
    twoChallenges: 'lighttpd two challenges',
    basic: 'lighttpd Basic',
  },
  apache: {
    md5: 'apache MD5',
    nextnonce: 'apache nextnonce',
    stale: 'apache stale',
    basic: 'apache Basic',
  },
} as const;

type HashName = 'md5' | 'sha256' | 'sha512-256';

export function hashHex(algorithm: HashName, text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

interface DigestUser {
  user: { username: string; password: string };
  realm: string;
  hash: HashName;
  userhash?: boolean;
}

const L = REALMS.lighttpd;
const A = REALMS.apache;

const LIGHTTPD_DIGEST_USERS: DigestUser[] = [
  { user: OLIVIA, realm: L.md5, hash: 'md5' },
  { user: JASON, realm: L.md5, hash: 'md5' },
  { user: OLIVIA, realm: L.sha256, hash: 'sha256' },
  { user: OLIVIA, realm: L.sha512_256, hash: 'sha512-256' },
  { user: OLIVIA, realm: L.userhash, hash: 'sha256', userhash: true },
  { user: JASON, realm: L.rfc7616, hash: 'sha512-256', userhash: true },
  // lighttpd picks, among a user's lines for the realm, the one whose length fits the
  // algorithm the client chose: 64 hex digits for SHA-256, 32 for MD5.
  { user: OLIVIA, realm: L.twoChallenges, hash: 'sha256' },
  { user: OLIVIA, realm: L.twoChallenges, hash: 'md5' },
];

const APACHE_DIGEST_USERS: DigestUser[] = [
  { user: OLIVIA, realm: A.md5, hash: 'md5' },
  // httpd compares the bytes of `username="..."` with this line's name, both UTF-8.
  { user: JASON, realm: A.md5, hash: 'md5' },
  { user: OLIVIA, realm: A.nextnonce, hash: 'md5' },
  { user: OLIVIA, realm: A.stale, hash: 'md5' },
];

const BASIC_USERS = [OLIVIA, JASON];

function htdigest(users: DigestUser[]): string {
  return users
    .map(({ user: { username, password }, realm, hash, userhash }) => {
      const line = `${username}:${realm}:${hashHex(hash, `${username}:${realm}:${password}`)}`;
      return userhash ? `${line}:${hashHex(hash, `${username}:${realm}`)}` : line;
    })
    .map((line) => `${line}\n`)
    .join('');
}

function htpasswd(users: ReadonlyArray<{ username: string; password: string }>): string {
  return users
    .map(({ username, password }) => {
      const sha1 = createHash('sha1').update(password, 'utf8').digest('base64');
      return `${username}:{SHA}${sha1}\n`;
    })
    .join('');
}

/** The protected locations: each gets a `secret.txt` whose text the tests expect back. */
const LOCATIONS: Record<ServerKind, string[]> = {
  lighttpd: ['md5', 'sha256', 'sha512-256', 'userhash', 'rfc7616', 'two-challenges', 'basic'],
  apache: ['md5', 'nextnonce', 'stale', 'basic'],
};

/** The body of `/<location>/secret.txt` on a server. */
export function secretText(kind: ServerKind, location: string): string {
  return `${kind} ${location} ok\n`;
}

// ---------------------------------------------------------------------------------------------
// Finding the servers

const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
const APACHE_MODULES_DIR = '/usr/lib/apache2/modules';
const APACHE_MODULES = [
  'mod_mpm_event.so',
  'mod_authn_core.so',
  'mod_authn_file.so',
  'mod_authz_core.so',
  'mod_authz_user.so',
  'mod_auth_basic.so',
  'mod_auth_digest.so',
];

interface Product {
  title: string;
  binary: string;
  /** An environment variable that names the binary instead (another build, another path). */
  binaryEnv: string;
  install: string;
  template: string;
}

const PRODUCTS: Record<ServerKind, Product> = {
  lighttpd: {
    title: 'lighttpd',
    binary: 'lighttpd',
    binaryEnv: 'INTEROP_LIGHTTPD',
    install: 'apt-get install -y lighttpd',
    template: 'lighttpd.conf.in',
  },
  apache: {
    title: 'Apache httpd',
    binary: 'apache2',
    binaryEnv: 'INTEROP_APACHE2',
    install: 'apt-get install -y apache2 (or apache2-bin)',
    template: 'apache2.conf.in',
  },
};

/** The binary on PATH or in an sbin directory (not on a normal user's PATH on Debian). */
function findOnPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...SBIN_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The server's binary: the one its environment variable names, else the one on PATH. */
function findBinary(kind: ServerKind): string | undefined {
  const product = PRODUCTS[kind];
  const named = process.env[product.binaryEnv];
  if (named) return isExecutableFile(named) ? named : undefined;
  return findOnPath(product.binary);
}

/** Why the server cannot run here, naming what to install; undefined when it can. */
export function missingServer(kind: ServerKind): string | undefined {
  const product = PRODUCTS[kind];
  if (!findBinary(kind)) {
    const named = process.env[product.binaryEnv];
    return named
      ? `${product.title} not found: ${product.binaryEnv}=${named} is not an executable file.`
      : `${product.title} is not installed: no \`${product.binary}\` on PATH or in ` +
          `${SBIN_DIRS.join(', ')}. Install it with \`${product.install}\`.`;
  }
  if (kind === 'apache') {
    const absent = APACHE_MODULES.filter((m) => !fs.existsSync(path.join(APACHE_MODULES_DIR, m)));
    if (absent.length > 0) {
      return (
        `Apache httpd modules missing from ${APACHE_MODULES_DIR}: ${absent.join(', ')}. ` +
        `Install them with \`${product.install}\`.`
      );
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Who the servers run as

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
}

function readColonFile(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

function groupName(gid: number): string | undefined {
  return readColonFile('/etc/group').find((f) => Number(f[2]) === gid)?.[0];
}

/**
 * As root (as in CI), the servers are told to serve as an unprivileged user, as they would be
 * deployed (without it, lighttpd would serve as root). Not as root, they stay who they are and
 * ignore the setting, but Apache still resolves the names at start, so they must exist: the
 * current user's.
 */
function runAs(): RunAs {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    const me = os.userInfo();
    return { user: me.username, group: groupName(me.gid) ?? `#${me.gid}`, uid, gid: me.gid };
  }
  const passwd = readColonFile('/etc/passwd');
  for (const name of ['www-data', 'nobody', 'daemon']) {
    const entry = passwd.find((f) => f[0] === name);
    if (!entry) continue;
    const gid = Number(entry[3]);
    const group = groupName(gid);
    if (group) return { user: name, group, uid: Number(entry[2]), gid };
  }
  throw new Error('interop: running as root, but found no www-data, nobody or daemon user');
}

// ---------------------------------------------------------------------------------------------
// One request as the server logged it

export interface LoggedExchange {
  /** The response status the server sent. */
  status: number;
  /** The request line, such as `GET /md5/secret.txt?a=1 HTTP/1.1`. */
  requestLine: string;
  /** The Authorization header as the server received it, if there was one. */
  authorization: string | undefined;
}

/** Undo the servers' log escaping (`\"`, `\\`, `\xHH`) of one field (ASCII fields only). */
function unescapeLogField(field: string): string {
  return field.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, c: string) =>
    c.length === 3 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c,
  );
}

function parseAccessLog(text: string, caseId: string): LoggedExchange[] {
  const exchanges: LoggedExchange[] = [];
  for (const line of text.split('\n')) {
    const [id, status, requestLine, authorization] = line.split('\t');
    if (id === undefined || unescapeLogField(id) !== caseId) continue;
    if (status === undefined || requestLine === undefined || authorization === undefined) {
      throw new Error(`interop: unreadable access log line: ${JSON.stringify(line)}`);
    }
    exchanges.push({
      status: Number(status),
      requestLine: unescapeLogField(requestLine),
      authorization: authorization === '-' ? undefined : unescapeLogField(authorization),
    });
  }
  return exchanges;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// A running server

export interface RunningServer {
  readonly kind: ServerKind;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(pathAndQuery: string): string;
  /**
   * The requests the server logged with this X-Case header, oldest first. A server logs a
   * request after sending its response, so this waits (up to 5 s) for at least `atLeast`
   * lines, then a little longer, so that an unexpected extra request is seen too.
   */
  exchanges(caseId: string, atLeast: number): Promise<LoggedExchange[]>;
  /** The server's error log from byte `from` on. */
  errorLog(from?: number): string;
  /** The error log's current size, to read only what a test caused. */
  errorLogSize(): number;
  /**
   * Run one test case; if it fails, add to the error what the server saw of it (its logged
   * requests, with Authorization headers, and its error log lines), so that a CI failure
   * says what was sent and why the server refused it.
   */
  explain<T>(caseId: string, body: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

const CONF_DIR = path.join(__dirname, '..', 'interop', 'conf');
const WATCHDOG = [
  // $1: the pid to watch (the test process); $2: the server's temporary directory; the rest:
  // the server's command line. When the test process is gone, nobody else will clean up.
  'parent=$1; dir=$2; shift 2',
  '"$@" &',
  'server=$!',
  `trap 'kill -TERM "$server" 2>/dev/null' TERM INT HUP`,
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 0.5; done',
  'kill -TERM "$server" 2>/dev/null',
  'wait "$server"; status=$?',
  'kill -0 "$parent" 2>/dev/null || rm -rf "$dir"',
  'exit $status',
].join('\n');

function fillTemplate(template: string, values: Record<string, string>): string {
  const text = fs
    .readFileSync(path.join(CONF_DIR, template), 'utf8')
    .replace(/@([A-Z]+)@/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`interop: ${template}: no value for ${whole}`);
      return value;
    });
  return text;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('interop: could not read the probe port'));
      });
    });
  });
}

/** One GET, any status: the server is up when it answers. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // No agent: a kept-alive probe socket would stay open until the server stops.
    const req = http.get(
      { host: '127.0.0.1', port, path: '/', timeout: 1000, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(true));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

interface Layout {
  dir: string;
  docroot: string;
  logdir: string;
  rundir: string;
  confFile: string;
}

function prepare(kind: ServerKind, user: RunAs): Layout {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `axios-auth-flow-${kind}-`));
  // mkdtemp makes the directory 0700; the server's user must get through it.
  fs.chmodSync(dir, 0o755);
  const docroot = path.join(dir, 'htdocs');
  const logdir = path.join(dir, 'logs');
  const rundir = path.join(dir, 'run');
  for (const d of [docroot, logdir, rundir]) fs.mkdirSync(d, { mode: 0o755 });
  // lighttpd opens its logs after switching user; httpd keeps its runtime files there.
  if (user.uid !== (process.getuid?.() ?? -1)) {
    fs.chownSync(logdir, user.uid, user.gid);
    fs.chownSync(rundir, user.uid, user.gid);
  }
  for (const location of LOCATIONS[kind]) {
    fs.mkdirSync(path.join(docroot, location), { mode: 0o755 });
    fs.writeFileSync(path.join(docroot, location, 'secret.txt'), secretText(kind, location), {
      mode: 0o644,
    });
  }
  const users = kind === 'lighttpd' ? LIGHTTPD_DIGEST_USERS : APACHE_DIGEST_USERS;
  fs.writeFileSync(path.join(dir, 'htdigest'), htdigest(users), { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'htpasswd'), htpasswd(BASIC_USERS), { mode: 0o644 });
  return { dir, docroot, logdir, rundir, confFile: path.join(dir, `${kind}.conf`) };
}

function writeConfig(kind: ServerKind, layout: Layout, port: number, user: RunAs): void {
  const text = fillTemplate(PRODUCTS[kind].template, {
    PORT: String(port),
    DOCROOT: layout.docroot,
    LOGDIR: layout.logdir,
    RUNDIR: layout.rundir,
    SERVERROOT: layout.dir,
    HTDIGEST: path.join(layout.dir, 'htdigest'),
    HTPASSWD: path.join(layout.dir, 'htpasswd'),
    USER: user.user,
    GROUP: user.group,
    MODULES: APACHE_MODULES_DIR,
  });
  for (const realm of Object.values(REALMS[kind])) {
    if (!text.includes(`"${realm}"`)) {
      throw new Error(
        `interop: realm ${JSON.stringify(realm)} is not in ${PRODUCTS[kind].template}`,
      );
    }
  }
  fs.writeFileSync(layout.confFile, text, { mode: 0o644 });
}

function commandLine(kind: ServerKind, binary: string, confFile: string): string[] {
  return kind === 'lighttpd'
    ? [binary, '-D', '-f', confFile]
    : [binary, '-f', confFile, '-DFOREGROUND'];
}

class Server implements RunningServer {
  readonly origin: string;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined;
  #output = '';

  constructor(
    readonly kind: ServerKind,
    readonly port: number,
    private readonly layout: Layout,
    private readonly child: ChildProcess,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer) => {
      // The last few kilobytes are enough to say why a server would not start.
      this.#output = (this.#output + chunk.toString('utf8')).slice(-8192);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitCode = code;
        resolve(code ?? (signal ? -1 : null));
      });
    });
  }

  get running(): boolean {
    return this.#exitCode === undefined;
  }

  get output(): string {
    return this.#output;
  }

  url(pathAndQuery: string): string {
    return `${this.origin}${pathAndQuery}`;
  }

  async exchanges(caseId: string, atLeast: number): Promise<LoggedExchange[]> {
    const file = path.join(this.layout.logdir, 'access.log');
    const read = () =>
      parseAccessLog(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', caseId);
    const deadline = Date.now() + 5000;
    while (read().length < atLeast && Date.now() < deadline) await sleep(20);
    await sleep(150);
    return read();
  }

  errorLog(from = 0): string {
    try {
      return fs
        .readFileSync(path.join(this.layout.logdir, 'error.log'))
        .subarray(from)
        .toString('utf8');
    } catch {
      return '';
    }
  }

  errorLogSize(): number {
    try {
      return fs.statSync(path.join(this.layout.logdir, 'error.log')).size;
    } catch {
      return 0;
    }
  }

  async explain<T>(caseId: string, body: () => Promise<T>): Promise<T> {
    const from = this.errorLogSize();
    try {
      return await body();
    } catch (error) {
      const seen = await this.exchanges(caseId, 0);
      const report = [
        `--- what ${this.kind} saw of case ${caseId}:`,
        ...seen.map(
          (e, i) =>
            `  #${i + 1} ${e.requestLine} -> ${e.status}\n` +
            `      Authorization: ${e.authorization ?? '(none)'}`,
        ),
        `--- ${this.kind} error log meanwhile:`,
        this.errorLog(from).trimEnd() || '  (nothing)',
      ].join('\n');
      if (error instanceof Error) {
        error.message = `${error.message}\n${report}`;
        throw error;
      }
      throw new Error(`${String(error)}\n${report}`);
    }
  }

  /** Stop the server and everything it started (the group of the watchdog), and wait. */
  async stop(): Promise<void> {
    const pgid = this.child.pid;
    if (pgid === undefined) return;
    const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pgid, signal);
        return true;
      } catch {
        return false; // the group is empty: everything has exited
      }
    };
    if (signalGroup('SIGTERM')) {
      const stopped = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        void this.#exited.then(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      // Apache's children, or lighttpd's piped logger, may outlive the parent for a moment.
      const deadline = Date.now() + 5000;
      while (stopped && signalGroup(0) && Date.now() < deadline) {
        await sleep(50);
      }
      if (signalGroup(0)) {
        signalGroup('SIGKILL');
        await this.#exited;
      }
    }
    fs.rmSync(this.layout.dir, { recursive: true, force: true });
  }
}

async function startOnce(kind: ServerKind, binary: string, user: RunAs): Promise<Server> {
  const layout = prepare(kind, user);
  let port: number;
  try {
    port = await freePort();
    writeConfig(kind, layout, port, user);
  } catch (error) {
    fs.rmSync(layout.dir, { recursive: true, force: true });
    throw error;
  }
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      WATCHDOG,
      'interop-watchdog',
      String(process.pid),
      layout.dir,
      ...commandLine(kind, binary, layout.confFile),
    ],
    {
      // Its own process group, so that stop() reaches the server's children too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: layout.dir,
      env: { ...process.env, LANG: 'C' },
    },
  );
  const server = new Server(kind, port, layout, child);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (!server.running) break;
    if (await answers(port)) return server;
    await sleep(50);
  }
  const why = [
    `${PRODUCTS[kind].title} did not ${server.running ? 'answer within 15 s' : 'start'} ` +
      `on 127.0.0.1:${port}`,
    server.output.trim(),
    server.errorLog().trim(),
  ]
    .filter(Boolean)
    .join('\n');
  await server.stop();
  throw new Error(why);
}

/** Start a server on a free port and wait until it answers. */
export async function startServer(kind: ServerKind): Promise<RunningServer> {
  const binary = findBinary(kind);
  if (!binary) throw new Error(missingServer(kind));
  const user = runAs();
  // The port was free when probed; another process may take it before the server binds it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(kind, binary, user);
    } catch (error) {
      if (attempt < 3 && /address already in use/i.test(String(error))) continue;
      throw error;
    }
  }
}

/**
 * A describe block with a running server: started before its tests, stopped after them,
 * whether they pass or fail. Where the server is not installed, the suite fails with a message
 * saying what to install: a skipped interop test would read as a passed one.
 */
export function describeServer(
  kind: ServerKind,
  title: string,
  body: (server: () => RunningServer) => void,
): void {
  const missing = missingServer(kind);
  if (missing === undefined) {
    describe(title, () => {
      let running: RunningServer | undefined;
      beforeAll(async () => {
        running = await startServer(kind);
      }, 30_000);
      afterAll(async () => {
        await running?.stop();
      }, 30_000);
      body(() => {
        if (!running) throw new Error(`${PRODUCTS[kind].title} is not running (see beforeAll)`);
        return running;
      });
    });
  } else {
    describe(title, () => {
      test(`${PRODUCTS[kind].title} is installed (the interop suite runs against it)`, () => {
        throw new Error(missing);
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// For the tests

/**
 * A test against a running server, with a case id (from its name) to send as `X-Case` and
 * find its requests in the server's log; a failure reports what the server saw of it.
 */
export function serverTest(
  server: () => RunningServer,
  name: string,
  body: (caseId: string) => Promise<void>,
  timeout?: number,
): void {
  const caseId = name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  test(name, () => server().explain(caseId, () => body(caseId)), timeout);
}

/**
 * The parameters of one Digest challenge or Authorization header, names lower-cased. Written
 * here rather than taken from src/, so that the tests do not read headers with the code they
 * test.
 */
export function authParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const body = header.replace(/^\s*\w+\s+/, '');
  for (const m of body.matchAll(/([A-Za-z0-9*_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    const name = m[1]!.toLowerCase();
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return params;
}

/** The Digest challenges in a WWW-Authenticate value (Node joins repeated headers with ", "). */
export function digestChallenges(header: string): string[] {
  return header
    .split(/(?:^|,)\s*(?=Digest\s)/i)
    .map((part) => part.trim().replace(/,$/, ''))
    .filter((part) => /^Digest\s/i.test(part));
}

/**
 * One Digest exchange written by hand, with the user name in the form a test chooses, to record
 * what a server accepts (the evidence behind the rule in src/schemes/digest/rfc7616.ts): a GET
 * for the challenge, then the answer with MD5 and qop=auth, sent with Node's http client as raw
 * bytes. Returns the answer's status.
 */
export async function handDigestStatus(
  server: RunningServer,
  caseId: string,
  pathname: string,
  user: { username: string; password: string },
  form: 'raw-utf8' | 'username*',
): Promise<number> {
  const first = await rawGet(server, caseId, pathname, undefined);
  const challenge = authParams(first.wwwAuthenticate ?? '');
  const { realm = '', nonce = '' } = challenge;
  const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
  const nc = '00000001';
  const cnonce = 'f00dfeedf00dfeed';
  const ha1 = md5(`${user.username}:${realm}:${user.password}`);
  const ha2 = md5(`GET:${pathname}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const name =
    form === 'raw-utf8'
      ? `username="${Buffer.from(user.username, 'utf8').toString('latin1')}"`
      : `username*=UTF-8''${encodeURIComponent(user.username)}`;
  const fields = [
    name,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${pathname}"`,
    'algorithm=MD5',
    `response="${response}"`,
    'qop=auth',
    `nc=${nc}`,
    `cnonce="${cnonce}"`,
    ...(challenge.opaque === undefined ? [] : [`opaque="${challenge.opaque}"`]),
  ];
  return (await rawGet(server, caseId, pathname, `Digest ${fields.join(', ')}`)).status;
}

function rawGet(
  server: RunningServer,
  caseId: string,
  pathname: string,
  authorization: string | undefined,
): Promise<{ status: number; wwwAuthenticate: string | undefined }> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url(pathname));
    const headers: Record<string, string> = { 'X-Case': caseId };
    // A binary string: Node writes each character as one byte (latin1), so UTF-8 bytes go raw.
    if (authorization !== undefined) headers.Authorization = authorization;
    const req = http.get(
      { host: url.hostname, port: url.port, path: pathname, headers, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => {
          const value = res.headers['www-authenticate'];
          resolve({
            status: res.statusCode ?? 0,
            wwwAuthenticate: Array.isArray(value) ? value.join(', ') : value,
          });
        });
      },
    );
    req.on('error', reject);
  });
}
