/**
 * What NetRCAuth refuses to read, and how an empty path is read: a FIFO (with no writer, which
 * must not block), a device (/dev/zero, which once aborted the process), a file over 1 MiB, all
 * refused with a NetrcError before reading; `NETRC=''` read as no file given (`~/.netrc`), so
 * that the README's `netrcIfPresent` pattern works with it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NetRCAuth, NetrcError } from '../../../src/index';
import { MAX_NETRC_BYTES } from '../../../src/schemes/netrc/netrc-auth';
import { TempDir, withEnv } from '../../support/netrc-helpers';

const dir = new TempDir();
afterAll(() => dir.cleanup());

const ENTRY = 'machine a.example login alice password secret\n';

function errorOf(make: () => unknown): NetrcError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(NetrcError);
    return error as NetrcError;
  }
  throw new Error('nothing was thrown');
}

/** The README's pattern: no netrc file means no auth; any other problem is reported. */
function netrcIfPresent(file?: string): NetRCAuth | null {
  try {
    return new NetRCAuth({ file });
  } catch (error) {
    if (error instanceof NetrcError && error.code === 'ENOENT') return null;
    throw error;
  }
}

describe('files that are not read', () => {
  test('a FIFO with no writer: refused at once, the event loop is not blocked', () => {
    const fifo = path.join(dir.path, 'fifo.netrc');
    execFileSync('mkfifo', [fifo]);
    const error = errorOf(() => new NetRCAuth(fifo));
    expect(error.code).toBe('ENOTREG');
    expect(error.file).toBe(fifo);
    expect(error.message).toMatch(/FIFO.*not a regular file/);
  });

  test('/dev/zero: refused before reading (it would never end)', () => {
    const error = errorOf(() => new NetRCAuth('/dev/zero'));
    expect(error.code).toBe('ENOTREG');
    expect(error.message).toMatch(/\/dev\/zero is a device, not a regular file/);
  });

  test('a link to a device is judged by what it leads to', () => {
    const link = path.join(dir.path, 'zero-link.netrc');
    fs.symlinkSync('/dev/zero', link);
    expect(errorOf(() => new NetRCAuth(link)).code).toBe('ENOTREG');
  });

  test('a directory', () => {
    const folder = fs.mkdtempSync(path.join(dir.path, 'folder-'));
    expect(errorOf(() => new NetRCAuth(folder)).code).toBe('EISDIR');
  });

  test('a file one byte over 1 MiB: EFBIG, and its content is never quoted', () => {
    const file = dir.write('large.netrc', `${ENTRY}#${'x'.repeat(MAX_NETRC_BYTES - ENTRY.length)}`);
    expect(fs.statSync(file).size).toBe(MAX_NETRC_BYTES + 1);
    const error = errorOf(() => new NetRCAuth(file));
    expect(error.code).toBe('EFBIG');
    expect(error.message).toMatch(/larger than 1048576 bytes/);
    expect(error.message).not.toContain('secret');
  });

  test('a file of exactly 1 MiB is read', () => {
    const file = dir.write(
      'max.netrc',
      `${ENTRY}#${'x'.repeat(MAX_NETRC_BYTES - ENTRY.length - 1)}`,
    );
    expect(fs.statSync(file).size).toBe(MAX_NETRC_BYTES);
    expect(new NetRCAuth(file).file).toBe(file);
  });

  test("the README's netrcIfPresent pattern reports these (they are not ENOENT)", () => {
    expect(() => netrcIfPresent('/dev/zero')).toThrow(NetrcError);
  });
});

describe("an empty path (NETRC='') is no file given: ~/.netrc", () => {
  let home: TempDir;
  beforeEach(() => {
    home = new TempDir();
  });
  afterEach(() => home.cleanup());

  test.each([
    ['{ file: "" }', () => new NetRCAuth({ file: '' })],
    ['""', () => new NetRCAuth('')],
  ])('%s reads ~/.netrc', async (_form, make) => {
    const file = home.write('.netrc', ENTRY, 0o600);
    const auth = await withEnv({ HOME: home.path }, make);
    expect(auth.file).toBe(file);
  });

  test('and is checked as ~/.netrc is (private, as Python requires)', async () => {
    home.write('.netrc', ENTRY, 0o644);
    const error = await withEnv({ HOME: home.path }, () =>
      errorOf(() => new NetRCAuth({ file: '' })),
    );
    expect(error.code).toBe('EPERMISSIVE');
  });

  test("with no ~/.netrc, the README's pattern gives no auth instead of an error", async () => {
    const auth = await withEnv({ HOME: home.path, NETRC: '' }, () =>
      netrcIfPresent(process.env.NETRC),
    );
    expect(auth).toBeNull();
  });
});
