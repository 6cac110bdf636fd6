/**
 * The WWW-Authenticate parser (RFC 9110 §11): what it reads, and the typed error it gives for
 * what it cannot read.
 */
import { ChallengeParseError, parseChallenges } from '../../src/index';
import { parseAuthParams, type Challenge } from '../../src/http/challenge';

/** Challenges as plain objects, for readable expectations. */
const parse = (header: string | string[]) =>
  parseChallenges(header).map((c: Challenge) => ({
    scheme: c.scheme,
    ...(c.token68 === undefined ? {} : { token68: c.token68 }),
    params: Object.fromEntries(c.params),
  }));

function parseError(header: string | string[]): ChallengeParseError {
  try {
    parseChallenges(header);
  } catch (error) {
    expect(error).toBeInstanceOf(ChallengeParseError);
    return error as ChallengeParseError;
  }
  throw new Error('expected a ChallengeParseError');
}

describe('what it reads', () => {
  test("RFC 9110 §11.6.1's example: two challenges, an escaped quote", () => {
    expect(
      parse('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'),
    ).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
  });

  test('commas, equals signs and escaped backslashes inside quoted strings', () => {
    expect(
      parse('Digest realm="a, b=c, Digest x=\\"y\\"", nonce="n\\\\m", qop="auth,auth-int"'),
    ).toEqual([
      {
        scheme: 'digest',
        params: { realm: 'a, b=c, Digest x="y"', nonce: 'n\\m', qop: 'auth,auth-int' },
      },
    ]);
  });

  test('a quoted-pair may escape any character: \\a is a', () => {
    expect(parse('Basic realm="\\a\\b\\ c"')[0]!.params.realm).toBe('ab c');
  });

  test('scheme and parameter names without regard to case; values kept as sent', () => {
    expect(parse('DIGEST REALM="Mixed Case", Nonce=AbC, ALGORITHM=sha-256')).toEqual([
      { scheme: 'digest', params: { realm: 'Mixed Case', nonce: 'AbC', algorithm: 'sha-256' } },
    ]);
  });

  test('token68 forms, alone and followed by another challenge', () => {
    expect(parse('Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag+/==')).toEqual([
      { scheme: 'negotiate', token68: 'YIIBhgYGKwYBBQUCoIIBejCCAXag+/==', params: {} },
    ]);
    expect(parse('Bearer abc-._~+/=, Basic realm="x"')).toEqual([
      { scheme: 'bearer', token68: 'abc-._~+/=', params: {} },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
    expect(parse('Foo abc==,Bar def')).toEqual([
      { scheme: 'foo', token68: 'abc==', params: {} },
      { scheme: 'bar', token68: 'def', params: {} },
    ]);
  });

  test('a name and "=" with no value is a token68 (RFC 9110 grammar), not a parameter', () => {
    expect(parse('Digest realm=')).toEqual([{ scheme: 'digest', token68: 'realm=', params: {} }]);
  });

  test('schemes without parameters', () => {
    expect(parse('NTLM, Negotiate, Basic realm="r"')).toEqual([
      { scheme: 'ntlm', params: {} },
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'r' } },
    ]);
  });

  test('odd whitespace: tabs, spaces around "=", empty list elements, trailing commas', () => {
    expect(parse(' ,\t, Digest\t realm = "r" ,\tnonce\t=\t"n" ,, ,Basic   realm="b",\t, ')).toEqual(
      [
        { scheme: 'digest', params: { realm: 'r', nonce: 'n' } },
        { scheme: 'basic', params: { realm: 'b' } },
      ],
    );
  });

  test('unquoted values that are base64 (servers send nonces that way)', () => {
    expect(parse('Digest realm=r, nonce=ab/cd+ef==, qop=auth')).toEqual([
      { scheme: 'digest', params: { realm: 'r', nonce: 'ab/cd+ef==', qop: 'auth' } },
    ]);
  });

  test('several header lines (an array) read as one list, as Node folds them', () => {
    const lines = ['Basic realm="a, b"', 'Digest realm="d", nonce="n"'];
    expect(parse(lines)).toEqual(parse(lines.join(', ')));
    expect(parse(lines).map((c) => c.scheme)).toEqual(['basic', 'digest']);
  });

  test('an empty, undefined or null value has no challenges', () => {
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges(' , ')).toEqual([]);
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges(null)).toEqual([]);
  });

  test('non-ASCII bytes (obs-text) inside quoted strings are kept', () => {
    expect(parse('Digest realm="Z\u00c3\u00bcrich"')[0]!.params.realm).toBe('Z\u00c3\u00bcrich');
  });

  test('Authentication-Info is a list of parameters without a scheme', () => {
    expect(
      Object.fromEntries(parseAuthParams('nextnonce="a,b", qop=auth, rspauth="x", cnonce="c"')),
    ).toEqual({ nextnonce: 'a,b', qop: 'auth', rspauth: 'x', cnonce: 'c' });
  });
});

describe('malformed values: ChallengeParseError naming the problem and position, not the value', () => {
  test.each([
    ['Digest realm="never closed', /a quoted string is not closed \(at character 13\)/],
    ['realm="x", Basic', /a parameter comes before any auth-scheme/],
    ['Negotiate abc=, realm="x"', /a parameter follows a token68 in the same challenge/],
    ['Digest realm="a", REALM="b"', /the parameter "realm" appears twice/],
    ['Digest realm="a\u0001b"', /a control character in a quoted string/],
    ['Digest realm="a\\\u0000"', /a control character in a quoted string/],
    ['Basic realm="x" junk', /expected "," but found an unexpected character/],
    ['Basic realm="x""y"', /expected "," but found a quote/],
    ['=abc', /expected an auth-scheme but found "="/],
    ['"Digest"', /expected an auth-scheme but found a quote/],
    ['Digest "quoted"', /expected a token68 or a parameter but found a quote/],
    ['Basic"x"', /expected a space after the auth-scheme/],
    ['Digest realm="x\\', /a quoted string is not closed/],
    ['Digest a="b"=c', /expected "," but found "="/],
  ])('%j', (header, message) => {
    const error = parseError(header);
    expect(error.message).toMatch(/^WWW-Authenticate header is malformed: /);
    expect(error.message).toMatch(message);
    expect(error.name).toBe('ChallengeParseError');
    expect(error.position).toBeGreaterThanOrEqual(0);
    expect(error.position).toBeLessThanOrEqual(header.length);
  });

  test('the message never contains the values (a nonce or opaque may be sensitive)', () => {
    const error = parseError('Digest nonce="s3cr3t-nonce", opaque="0paque-value" trailing');
    expect(error.message).not.toMatch(/s3cr3t|0paque|trailing/);
  });

  test('a bad line among several is reported', () => {
    expect(parseError(['Basic realm="ok"', 'Digest realm="bad']).message).toMatch(/not closed/);
  });

  test('Authentication-Info: a scheme where a parameter belongs', () => {
    expect(() => parseAuthParams('Digest nextnonce="x"')).toThrow(
      /Authentication-Info header is malformed: expected a name=value parameter/,
    );
  });
});

test('a hostile value (1 MB of escapes, unclosed) is one error, not a hang', () => {
  const header = `Digest realm="${'\\"'.repeat(512 * 1024)}`;
  expect(() => parseChallenges(header)).toThrow(/a quoted string is not closed/);
  const many = `Digest ${Array.from({ length: 20000 }, (_, i) => `p${i}="v,${i}"`).join(', ')}`;
  expect(parseChallenges(many)[0]!.params.size).toBe(20000);
});
