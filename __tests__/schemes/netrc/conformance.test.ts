/**
 * The netrc conformance table (fixtures/conformance.json): each row is a netrc file and what
 * Python's `netrc` module reads from it, host names matched without regard to case. Rows where we
 * knowingly differ from Python 3.11 carry a `python` field (what Python gives) and a `why`.
 * `python3 __tests__/netrc/python-oracle.py` re-checks the table against Python itself.
 */
import { NetrcParseError } from '../../../src/errors';
import {
  hostKey,
  parseNetrc,
  type Netrc,
  type NetrcEntry,
} from '../../../src/schemes/netrc/netrc-file';
import table from './fixtures/conformance.json';

type Fields = [login: string, account: string, password: string];

interface ParsedRow {
  name: string;
  netrc: string;
  hosts: Record<string, Fields>;
  lookups: Record<string, Fields | null>;
  why?: string;
}

interface ErrorRow {
  name: string;
  netrc: string;
  error: { line: number };
  secrets: string[];
  why?: string;
}

const rows = table as unknown as (ParsedRow | ErrorRow)[];
const parsedRows = rows.filter((row): row is ParsedRow => !('error' in row));
const errorRows = rows.filter((row): row is ErrorRow => 'error' in row);
const FILE = '/home/finley/.netrc';

function fields(entry: NetrcEntry | undefined): Fields | null {
  return entry ? [entry.login, entry.account, entry.password] : null;
}

/** The parse in the shape of Python's `netrc.hosts`: host as written → (login, account, password). */
function asPythonHosts(netrc: Netrc): Record<string, Fields> {
  const hosts: Record<string, Fields> = {};
  for (const entry of netrc.machines) hosts[entry.machine!] = fields(entry)!;
  if (netrc.default) hosts.default = fields(netrc.default)!;
  return hosts;
}

test('the table covers at least 20 files, parse errors among them', () => {
  expect(rows.length).toBeGreaterThanOrEqual(20);
  expect(errorRows.length).toBeGreaterThanOrEqual(5);
  // Every departure from Python says why.
  for (const row of rows) {
    if ('python' in row) expect(row.why).toMatch(/\w/);
  }
});

describe('files that parse', () => {
  test.each(parsedRows)('$name', (row) => {
    const netrc = parseNetrc(row.netrc, FILE);
    expect(asPythonHosts(netrc)).toEqual(row.hosts);
    for (const [host, expected] of Object.entries(row.lookups)) {
      expect([host, fields(netrc.authenticators(host))]).toEqual([host, expected]);
    }
  });
});

describe('files that do not parse', () => {
  test.each(errorRows)('$name', (row) => {
    let error: unknown;
    try {
      parseNetrc(row.netrc, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NetrcParseError);
    const parseError = error as NetrcParseError;
    expect(parseError.file).toBe(FILE);
    expect(parseError.line).toBe(row.error.line);
    expect(parseError.message).toContain(FILE);
    expect(parseError.message).toContain(`line ${row.error.line}`);
    for (const secret of row.secrets) expect(parseError.message).not.toContain(secret);
  });
});

describe('host names', () => {
  test('compare without regard to case', () => {
    expect(hostKey('Example.COM')).toBe('example.com');
  });

  test('an internationalised name in the file matches the punycode a URL carries', () => {
    const netrc = parseNetrc('machine Bücher.example login jörg password pässwörd\n', FILE);
    const requested = new URL('http://bücher.example/').hostname;
    expect(requested).toBe('xn--bcher-kva.example');
    expect(fields(netrc.authenticators(requested))).toEqual(['jörg', '', 'pässwörd']);
  });

  test.each(['::1', '[::1]'])('an IPv6 literal written %s matches the URL form [::1]', (name) => {
    const netrc = parseNetrc(`machine ${name} login alice password s3cret\n`, FILE);
    const requested = new URL('http://[::1]:8080/').hostname;
    expect(requested).toBe('[::1]');
    expect(fields(netrc.authenticators(requested))).toEqual(['alice', '', 's3cret']);
  });

  test('a name that is not a host name is kept as written, lower case', () => {
    expect(hostKey('My Host/ünï')).toBe('my host/ünï');
  });
});

describe('line numbers in errors', () => {
  test('count CRLF and lone CR as one line end each', () => {
    const error = catchParse('machine a\r\nlogin x\r\n\rpassword y\r\nbogus z\n');
    expect(error.line).toBe(5);
  });

  test('point at the keyword that lacks its value, not at the end of the file', () => {
    expect(catchParse('machine a.example\n  login alice\n  password\n\n\n').line).toBe(3);
  });

  test('point at the opening quote of an unterminated token', () => {
    expect(catchParse('machine a\nlogin x\npassword "abc\n\n\n').line).toBe(3);
  });
});

function catchParse(text: string): NetrcParseError {
  try {
    parseNetrc(text, FILE);
  } catch (error) {
    if (error instanceof NetrcParseError) return error;
    throw error;
  }
  throw new Error('the file parsed');
}
