/**
 * Nothing a server sends makes a DigestAuth grow without bound (DESIGN "Bad input"): origins and
 * realms per origin are capped and evicted least recently used, so one in constant use never
 * pays a fresh 401; `domain` lists are bounded; values the answer would echo (realm, nonce,
 * opaque) are refused past 4096 characters with a DigestAuthError 'too-large'. The flow is
 * driven by hand, with no transport; no test reads a clock.
 */
import { DigestAuth, DigestAuthError, type AuthRequest } from '../../../src/index';
import {
  MAX_DOMAIN_LENGTH,
  MAX_DOMAIN_URIS,
  MAX_PARAM_LENGTH,
  readDomain,
  type DigestChallenge,
} from '../../../src/schemes/digest/challenge';
import { ProtectionSpaces } from '../../../src/schemes/digest/protection-spaces';
import { ALGORITHMS } from '../../../src/schemes/digest/hashes';
import { authorizationParams, fakeResponse, makeRequest } from '../../support/digest-helpers';

/** A DigestAuth with counted client nonces, so that any number of calls can be driven. */
class CountingDigestAuth extends DigestAuth {
  #next = 0;
  protected override makeCnonce(): string {
    return `c${++this.#next}`;
  }
}

const challenge = (realm: string, nonce = 'n1', extra = '') =>
  `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5${extra}`;

/**
 * One call: whether it went out with credentials at once (warm), and, when it did not, the
 * server's 401 with `wwwAuthenticate` answered and a 200 to the retry.
 */
function call(auth: DigestAuth, url: string, wwwAuthenticate = challenge('r')): boolean {
  const request = makeRequest(url);
  const flow = auth.authFlow(request);
  const first = flow.next().value as AuthRequest;
  const warm = first.headers.get('Authorization') !== undefined;
  if (warm) {
    expect(flow.next(fakeResponse(200)).done).toBe(true);
  } else {
    const retry = flow.next(fakeResponse(401, { 'WWW-Authenticate': wwwAuthenticate }));
    expect(retry.done).toBe(false);
    expect(flow.next(fakeResponse(200)).done).toBe(true);
  }
  return warm;
}

/** The DigestAuthError the first 401 with `wwwAuthenticate` gives, and the request sent. */
function refusal(wwwAuthenticate: string): DigestAuthError {
  const flow = new CountingDigestAuth('u', 'p').authFlow(makeRequest('http://h.example/'));
  flow.next();
  try {
    flow.next(fakeResponse(401, { 'WWW-Authenticate': wwwAuthenticate }));
  } catch (error) {
    expect(error).toBeInstanceOf(DigestAuthError);
    return error as DigestAuthError;
  }
  throw new Error('the challenge was answered');
}

function record(realm: string, domain: readonly string[] = []): DigestChallenge {
  return Object.freeze({
    realm,
    nonce: `nonce-${realm}`,
    algorithm: ALGORITHMS.get('MD5')!,
    algorithmNamed: true,
    qop: 'auth' as const,
    opaque: undefined,
    userhash: false,
    charsetUtf8: false,
    stale: false,
    domain,
  });
}

describe('origins: at most 256, least recently used evicted', () => {
  test('an origin used between every new one never pays a fresh 401 (1,000 other origins)', () => {
    const auth = new CountingDigestAuth('u', 'p');
    expect(call(auth, 'http://busy.example/')).toBe(false);
    let cold = 0;
    for (let i = 0; i < 1000; i++) {
      call(auth, `http://h${i}.example/`);
      if (!call(auth, 'http://busy.example/')) cold++;
    }
    expect(cold).toBe(0);
  });

  test('the least recently used origin is the one forgotten', () => {
    const auth = new CountingDigestAuth('u', 'p');
    for (let i = 0; i < ProtectionSpaces.MAX_ORIGINS; i++) call(auth, `http://h${i}.example/`);
    call(auth, 'http://h0.example/'); // h0 used again: h1 is now the least recently used
    call(auth, 'http://new.example/');
    expect(call(auth, 'http://h0.example/')).toBe(true);
    expect(call(auth, 'http://h2.example/')).toBe(true);
    expect(call(auth, 'http://h1.example/')).toBe(false);
  });

  test('the count stays at the cap', () => {
    const spaces = new ProtectionSpaces();
    for (let i = 0; i < 1000; i++) spaces.remember(`http://h${i}.example`, record('r'));
    expect(spaces.size).toBe(ProtectionSpaces.MAX_ORIGINS);
  });
});

describe('realms per origin: at most 32, least recently used evicted', () => {
  const origin = 'http://h.example';

  test('50,000 realms from one server leave 32 remembered', () => {
    const spaces = new ProtectionSpaces();
    for (let i = 0; i < 50_000; i++) spaces.remember(origin, record(`realm ${i}`, [`/r${i}/`]));
    const realms = spaces.realms(origin);
    expect(realms).toHaveLength(ProtectionSpaces.MAX_REALMS);
    expect(realms.at(-1)).toBe('realm 49999');
    expect(realms[0]).toBe(`realm ${50_000 - ProtectionSpaces.MAX_REALMS}`);
  });

  test('a realm in constant use survives any number of new ones', () => {
    const spaces = new ProtectionSpaces();
    spaces.remember(origin, record('busy', ['/busy/']));
    for (let i = 0; i < 1000; i++) {
      spaces.remember(origin, record(`realm ${i}`, [`/r${i}/`]));
      expect(spaces.find(new URL(`${origin}/busy/x`))?.challenge.realm).toBe('busy');
    }
    expect(spaces.realms(origin)).toContain('busy');
  });

  test('a realm is found by name: the same realm again updates its space', () => {
    const spaces = new ProtectionSpaces();
    const first = spaces.remember(origin, record('r'));
    spaces.remember(origin, record('other', ['/other/']));
    expect(spaces.remember(origin, { ...record('r'), nonce: 'fresh' })).toBe(first);
    expect(spaces.realms(origin)).toEqual(['other', 'r']);
  });

  test('without a domain, the most recently used realm answers for the whole origin', () => {
    const spaces = new ProtectionSpaces();
    spaces.remember(origin, record('a'));
    spaces.remember(origin, record('b'));
    expect(spaces.find(new URL(`${origin}/x`))?.challenge.realm).toBe('b');
    spaces.remember(origin, record('a'));
    expect(spaces.find(new URL(`${origin}/x`))?.challenge.realm).toBe('a');
  });

  test('a realm evicted while it answered for the whole origin hands over to the next', () => {
    const spaces = new ProtectionSpaces();
    const a = spaces.remember(origin, record('a'));
    spaces.remember(origin, record('b', ['/b/']));
    spaces.forget(origin, a);
    expect(spaces.find(new URL(`${origin}/x`))).toBeUndefined();
    expect(spaces.find(new URL(`${origin}/b/x`))?.challenge.realm).toBe('b');
  });
});

describe('domain lists are bounded', () => {
  const from = new URL('http://h.example/app/page');

  test(`up to ${MAX_DOMAIN_URIS} URIs scope the space to their paths`, () => {
    const uris = Array.from({ length: MAX_DOMAIN_URIS }, (_, i) => `/p${i}/`);
    expect(readDomain(uris.join(' '), from)).toEqual(uris);
  });

  test(`more than ${MAX_DOMAIN_URIS} URIs: ignored, the space is the whole origin`, () => {
    const uris = Array.from({ length: MAX_DOMAIN_URIS + 1 }, (_, i) => `/p${i}/`);
    expect(readDomain(uris.join(' '), from)).toEqual([]);
  });

  test(`a value over ${MAX_DOMAIN_LENGTH} characters is not even split`, () => {
    const value = `/${'a'.repeat(MAX_DOMAIN_LENGTH)}`;
    expect(readDomain(value, from)).toEqual([]);
  });

  test('entries on other origins are dropped; absolute ones on this origin kept', () => {
    expect(
      readDomain('http://other.example/x https://h.example/y http://h.example/z /w', from),
    ).toEqual(['/z', '/w']);
  });

  test('4,000 paths in a 401: no 401 on later calls to any of them', () => {
    const domain = Array.from({ length: 4000 }, (_, i) => `/p/${i}`).join(' ');
    const auth = new CountingDigestAuth('u', 'p');
    expect(
      call(auth, 'http://h.example/p/3999', challenge('r', 'n1', `, domain="${domain}"`)),
    ).toBe(false);
    for (const path of ['/p/0', '/p/3999', '/elsewhere']) {
      expect(call(auth, `http://h.example${path}`)).toBe(true);
    }
  });
});

describe(`values echoed on every request: over ${MAX_PARAM_LENGTH} characters, 'too-large'`, () => {
  const big = 'x'.repeat(MAX_PARAM_LENGTH + 1);

  test.each([
    ['realm', `Digest realm="${big}", nonce="n"`],
    ['nonce', `Digest realm="r", nonce="${big}"`],
    ['opaque', `Digest realm="r", nonce="n", opaque="${big}"`],
    ['qop', `Digest realm="r", nonce="n", qop="auth,${big}"`],
    ['algorithm', `Digest realm="r", nonce="n", algorithm=${big}`],
  ])('%s', (name, header) => {
    const error = refusal(header);
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('xxxxxxxxxx');
    expect(error.message.length).toBeLessThan(300);
  });

  test('a 10 MB realm is refused, not echoed', () => {
    expect(refusal(`Digest realm="${'r'.repeat(10_000_000)}", nonce="n"`).code).toBe('too-large');
  });

  test(`${MAX_PARAM_LENGTH} characters are answered`, () => {
    const auth = new CountingDigestAuth('u', 'p');
    const nonce = 'n'.repeat(MAX_PARAM_LENGTH);
    const flow = auth.authFlow(makeRequest('http://h.example/'));
    flow.next();
    const retry = flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('r', nonce) }));
    expect(
      authorizationParams((retry.value as AuthRequest).headers.get('Authorization')).nonce,
    ).toBe(nonce);
  });

  test('the same DigestAuth keeps working after a refused challenge', () => {
    const auth = new CountingDigestAuth('u', 'p');
    const flow = auth.authFlow(makeRequest('http://h.example/'));
    flow.next();
    expect(() =>
      flow.next(fakeResponse(401, { 'WWW-Authenticate': `Digest realm="${big}", nonce="n"` })),
    ).toThrow(DigestAuthError);
    expect(call(auth, 'http://h.example/')).toBe(false);
    expect(call(auth, 'http://h.example/')).toBe(true);
  });

  test('an Authentication-Info nextnonce over the bound is not taken', () => {
    const auth = new CountingDigestAuth('u', 'p');
    const flow = auth.authFlow(makeRequest('http://h.example/'));
    flow.next();
    flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('r', 'n1') }));
    flow.next(fakeResponse(200, { 'Authentication-Info': `nextnonce="${big}"` }));
    const next = auth.authFlow(makeRequest('http://h.example/')).next().value as AuthRequest;
    expect(authorizationParams(next.headers.get('Authorization')).nonce).toBe('n1');
  });
});
