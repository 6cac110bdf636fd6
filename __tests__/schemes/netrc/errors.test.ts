/**
 * A NetRCAuth that cannot work fails when it is made, with an error that names the file and
 * never contains a credential: missing, unreadable or unparsable files, a default ~/.netrc that
 * others can read (Python's check), and credentials that Basic cannot carry.
 */
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetRCAuth, NetrcError, NetrcParseError } from '../../../src/index';
import { TempDir, isRoot, withEnv } from '../../support/netrc-helpers';

const dir = new TempDir();
afterAll(() => dir.cleanup());

const SECRET = 'pa55-Wörd';
const ENTRY = `machine a.example login alice password "${SECRET}"\n`;

/** The error `make` throws; fails the test when it throws nothing. */
function errorOf(make: () => unknown): Error {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

/**
 * The error making a NetRCAuth for `file` throws in a child process run as `nobody` (uid 65534),
 * for whom a mode-000 file is a real EACCES (root reads it all the same).
 *
 * `nobody` may not be able to reach this checkout at all (it may sit in root's 0700 home or a
 * `mktemp -d` folder), so the child does not load it from here: `NetRCAuth` is bundled with
 * esbuild into one self-contained CommonJS file, which goes with the child's script into a
 * world-readable temporary folder. The child runs the real code; only its location changes.
 */
function errorAsNobody(file: string): Error {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'netrc-as-nobody-'));
  try {
    fs.chmodSync(folder, 0o755);
    const bundle = path.join(folder, 'netrc-auth.cjs');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../../../src/schemes/netrc/netrc-auth.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
    fs.chmodSync(bundle, 0o644);
    const script = `
      const { NetRCAuth } = require(${JSON.stringify(bundle)});
      try { new NetRCAuth(${JSON.stringify(file)}); process.stdout.write('null'); }
      catch (e) { process.stdout.write(JSON.stringify({ name: e.name, code: e.code, message: e.message, stack: e.stack })); }`;
    const child = spawnSync(process.execPath, ['-e', script], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      cwd: folder,
    });
    const thrown = JSON.parse(child.stdout || 'null') as Record<string, string> | null;
    if (!thrown) throw new Error(`nothing was thrown as nobody (stderr: ${child.stderr})`);
    return Object.assign(new Error(thrown.message), thrown);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function expectNamesFileOnly(error: Error, file: string): void {
  expect(error).toBeInstanceOf(NetrcError);
  expect((error as NetrcError).file).toBe(file);
  expect(error.message).toContain(file);
  expect(`${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`).not.toContain(SECRET);
}

describe('the file given cannot be read', () => {
  test('a missing file', () => {
    const file = path.join(dir.path, 'nope', '.netrc');
    const error = errorOf(() => new NetRCAuth({ file }));
    expectNamesFileOnly(error, file);
    expect((error as NetrcError).code).toBe('ENOENT');
    expect(error.message).toMatch(/does not exist/);
  });

  test('a directory where the file should be', () => {
    const file = fs.mkdtempSync(path.join(dir.path, 'is-a-dir-'));
    const error = errorOf(() => new NetRCAuth(file));
    expectNamesFileOnly(error, file);
    expect((error as NetrcError).code).toBe('EISDIR');
  });

  test('a file without read permission (chmod 000)', () => {
    // A world-traversable folder, so that only the file's own mode stands in the way.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'netrc-mode-000-'));
    fs.chmodSync(folder, 0o755);
    const file = path.join(folder, 'unreadable.netrc');
    fs.writeFileSync(file, ENTRY);
    fs.chmodSync(file, 0o000);
    try {
      // root reads a mode-000 file all the same, so as root the NetRCAuth is made in a child
      // process running as the unprivileged user `nobody`.
      const error = isRoot ? errorAsNobody(file) : errorOf(() => new NetRCAuth(file));
      expect(error.name).toBe('NetrcError');
      expect((error as NetrcError).code).toBe('EACCES');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/permission denied/);
      expect(`${error.message} ${error.stack ?? ''}`).not.toContain(SECRET);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a file that is not UTF-8', () => {
    const file = path.join(dir.path, 'latin1.netrc');
    fs.writeFileSync(
      file,
      Buffer.from(`machine a.example login alice password ${SECRET}\n`, 'latin1'),
    );
    const error = errorOf(() => new NetRCAuth(file));
    expectNamesFileOnly(error, file);
    expect(error.message).toMatch(/UTF-8/);
  });
});

describe('the file cannot be parsed', () => {
  test.each([
    ['machine with no name', `${ENTRY}machine\n`, 2],
    ['login with no value', `${ENTRY}machine b.example password x login`, 2],
    ['an unknown keyword', `${ENTRY}machine b.example login bob passwort ${SECRET}\n`, 2],
    [
      'an unquoted password with a space',
      `machine a.example login alice password ${SECRET} x\n`,
      1,
    ],
    ['an unterminated quote', `machine a.example login alice password "${SECRET}\n`, 1],
  ])('%s: the error names the file and line, not the password', (_name, text, line) => {
    const file = dir.write('unparsable.netrc', text);
    const error = errorOf(() => new NetRCAuth({ file }));
    expect(error).toBeInstanceOf(NetrcParseError);
    expectNamesFileOnly(error, file);
    expect((error as NetrcParseError).line).toBe(line);
    expect(error.message).toContain(`line ${line}`);
  });
});

describe('credentials that Basic cannot carry are refused when the auth is made', () => {
  test('a ":" in a login', () => {
    const file = dir.write(
      'colon.netrc',
      `machine a.example login "al:ice" password "${SECRET}"\n`,
    );
    const error = errorOf(() => new NetRCAuth(file));
    expectNamesFileOnly(error, file);
    expect(error.message).toMatch(/line 1 \(machine a\.example\).*":"/);
  });

  test('a line break inside a quoted password', () => {
    const file = dir.write('newline.netrc', `default login alice password "${SECRET}\nmore"\n`);
    const error = errorOf(() => new NetRCAuth(file));
    expectNamesFileOnly(error, file);
    expect(error.message).toMatch(/default entry.*CR, LF or NUL/);
  });

  test('but not in an entry that has no password, which is never sent', () => {
    const file = dir.write('no-password.netrc', 'machine a.example login "al:ice"\n');
    expect(new NetRCAuth(file).file).toBe(file);
  });
});

describe('bad arguments', () => {
  test.each([
    ['a number', 42],
    ['null', null],
    ['a file that is not a string', { file: 42 }],
  ])('%s is a TypeError', (_name, options) => {
    expect(() => new NetRCAuth(options as never)).toThrow(TypeError);
  });
});

describe('the default ~/.netrc must be private, as Python requires (POSIX)', () => {
  let home: TempDir;
  beforeEach(() => {
    home = new TempDir();
  });
  afterEach(() => home.cleanup());

  test('readable by group or others: an error that says so', async () => {
    const file = home.write('.netrc', ENTRY, 0o644);
    const error = await withEnv({ HOME: home.path }, () => errorOf(() => new NetRCAuth()));
    expectNamesFileOnly(error, file);
    expect((error as NetrcError).code).toBe('EPERMISSIVE');
    expect(error.message).toMatch(/group or others \(mode 0644\)/);
    expect(error.message).toContain(`chmod 600 ${file}`);
  });

  test('any permission for others counts, not only read', async () => {
    home.write('.netrc', ENTRY, 0o601);
    const error = await withEnv({ HOME: home.path }, () => errorOf(() => new NetRCAuth()));
    expect((error as NetrcError).code).toBe('EPERMISSIVE');
  });

  test('mode 600 is accepted', async () => {
    const file = home.write('.netrc', ENTRY, 0o600);
    const auth = await withEnv({ HOME: home.path }, () => new NetRCAuth());
    expect(auth.file).toBe(file);
  });

  test('an explicit file is not checked, even when it is ~/.netrc itself', async () => {
    const file = home.write('.netrc', ENTRY, 0o644);
    await withEnv({ HOME: home.path }, () => {
      expect(new NetRCAuth(file).file).toBe(file);
      expect(new NetRCAuth({ file }).file).toBe(file);
    });
  });

  test('a file whose only login is "anonymous" is not checked (as in Python)', async () => {
    home.write('.netrc', 'default login anonymous password me@example.com\n', 0o644);
    await withEnv({ HOME: home.path }, () => expect(() => new NetRCAuth()).not.toThrow());
  });

  test('owned by another user: an error that says so', async () => {
    let expectedOwner: number;
    if (isRoot) {
      const file = home.write('.netrc', ENTRY, 0o600);
      fs.chownSync(file, 65534, 65534);
      expectedOwner = 65534;
    } else {
      // Without root, a file of another user is reached through a link: the check follows it,
      // as Python's os.stat does.
      const target = '/etc/hostname';
      expectedOwner = fs.statSync(target).uid;
      fs.rmSync(path.join(home.path, '.netrc'), { force: true });
      fs.symlinkSync(target, path.join(home.path, '.netrc'));
    }
    const file = path.join(home.path, '.netrc');
    const error = await withEnv({ HOME: home.path }, () => errorOf(() => new NetRCAuth()));
    expectNamesFileOnly(error, file);
    expect((error as NetrcError).code).toBe('EOWNER');
    expect(error.message).toMatch(new RegExp(`uid ${expectedOwner}.*current user`));
    fs.rmSync(file, { force: true });
  });

  test('a missing ~/.netrc is an error naming it', async () => {
    const error = await withEnv({ HOME: home.path }, () => errorOf(() => new NetRCAuth()));
    expectNamesFileOnly(error, path.join(home.path, '.netrc'));
    expect((error as NetrcError).code).toBe('ENOENT');
  });
});
