/**
 * The Digest flow driven by hand (no transport), for the branches a live server rarely takes,
 * and through axios-mock-adapter, whose headers can be arrays.
 */
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { withAuth, DigestAuth, type AuthRequest } from '../../../src/index';
import {
  FixedCnonceDigestAuth,
  authorizationParams,
  fakeResponse,
  makeRequest,
} from '../../support/digest-helpers';

const challenge = (nonce: string, extra = '') =>
  `Digest realm="r", nonce="${nonce}", qop="auth", algorithm=MD5${extra}`;

function drive(auth: FixedCnonceDigestAuth, url = 'http://h.example/p') {
  const request = makeRequest(url);
  const flow = auth.authFlow(request);
  const first = flow.next().value as AuthRequest;
  return { request, flow, first };
}

const header = (value: unknown) =>
  authorizationParams((value as AuthRequest).headers.get('Authorization'));

test('a preemptive request that meets a fresh (non-stale) challenge is retried once with it', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1', 'c2', 'c3');
  const one = drive(auth);
  one.flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }));
  expect(one.flow.next(fakeResponse(200)).done).toBe(true);

  // The server forgot n1 (restarted): its 401 is not stale, but this call has not answered a
  // challenge yet, so it answers this one.
  const two = drive(auth);
  expect(header(two.first).nonce).toBe('n1');
  const retry = two.flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n2') }));
  expect(retry.done).toBe(false);
  expect(header(retry.value)).toMatchObject({ nonce: 'n2', nc: '00000001', cnonce: 'c3' });
  expect(two.flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n3') })).done).toBe(true);
});

test('cold, fresh 401, then stale: the stale one is answered too (three requests at most)', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1', 'c2');
  const { flow, first } = drive(auth);
  expect(first.headers.get('Authorization')).toBeUndefined();
  flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }));
  const stale = flow.next(
    fakeResponse(401, { 'WWW-Authenticate': challenge('n2', ', stale=true') }),
  );
  expect(stale.done).toBe(false);
  expect(header(stale.value).nonce).toBe('n2');
  expect(
    flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n3', ', stale=true') })).done,
  ).toBe(true);
});

test('a stale nonce that comes back later does not rewind its nonce count', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', ...'abcdefgh');
  const a = drive(auth);
  a.flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n1') })); // n1 nc=1
  a.flow.next(fakeResponse(200));
  const b = drive(auth); // n1 nc=2
  expect(header(b.first).nc).toBe('00000002');
  b.flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n2', ', stale=true') })); // n2 nc=1
  const c = drive(auth); // n2 nc=2
  expect(header(c.first)).toMatchObject({ nonce: 'n2', nc: '00000002' });
  // A late response switches back to n1: its count goes on from 2, never 1 again.
  const retry = c.flow.next(
    fakeResponse(401, { 'WWW-Authenticate': challenge('n1', ', stale=true') }),
  );
  expect(header(retry.value)).toMatchObject({ nonce: 'n1', nc: '00000003' });
});

test('the digest is computed for the URL that sent the challenge (after a redirect)', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1');
  const { flow } = drive(auth, 'http://h.example/start?x=1');
  const retry = flow.next(
    fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }, 'http://h.example/protected?y=2'),
  );
  const sent = retry.value as AuthRequest;
  expect(sent.url.href).toBe('http://h.example/protected?y=2');
  expect(header(sent).uri).toBe('/protected?y=2');
});

test('http to https on the same host keeps the challenge; another host does not', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1');
  const upgraded = drive(auth, 'http://h.example/a');
  const retry = upgraded.flow.next(
    fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }, 'https://h.example/a'),
  );
  expect((retry.value as AuthRequest).url.href).toBe('https://h.example/a');

  const elsewhere = drive(new FixedCnonceDigestAuth('u', 'p'), 'http://h.example/a');
  const end = elsewhere.flow.next(
    fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }, 'http://other.example/a'),
  );
  expect(end.done).toBe(true);
});

test('a domain parameter scopes the challenge to its URLs', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1', 'c2');
  const { flow } = drive(auth, 'http://h.example/api/x');
  flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n1', ', domain="/api/ /v2/"') }));
  flow.next(fakeResponse(200));
  expect(drive(auth, 'http://h.example/v2/y').first.headers.get('Authorization')).toMatch(
    /^Digest /,
  );
  expect(drive(auth, 'http://h.example/public').first.headers.get('Authorization')).toBeUndefined();
});

test('cookies: Max-Age=0 removes one, a non-matching Path is not sent', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1');
  const request = makeRequest('http://h.example/app/page');
  request.headers.set('Cookie', 'keep=1; gone=2');
  const flow = auth.authFlow(request);
  flow.next();
  const retry = flow.next(
    fakeResponse(401, {
      'WWW-Authenticate': challenge('n1'),
      'Set-Cookie': ['gone=; Max-Age=0', 'other=3; Path=/elsewhere', 'sid=abc; Path=/app'],
    }),
  ).value as AuthRequest;
  expect(retry.headers.get('Cookie')).toBe('keep=1; sid=abc');
  expect(request.headers.get('Cookie')).toBe('keep=1; gone=2'); // the original is untouched
});

test('an unreadable Authentication-Info does not turn a success into an error', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1', 'c2');
  const { flow } = drive(auth);
  flow.next(fakeResponse(401, { 'WWW-Authenticate': challenge('n1') }));
  const end = flow.next(fakeResponse(200, { 'Authentication-Info': 'nextnonce="unclosed' }));
  expect(end.done).toBe(true);
  expect(header(drive(auth).first)).toMatchObject({ nonce: 'n1', nc: '00000002' });
});

test('a cold request does not carry an Authorization header set by hand', () => {
  const request = makeRequest('http://h.example/p');
  request.headers.set('Authorization', 'Bearer by-hand');
  const first = new FixedCnonceDigestAuth('u', 'p').authFlow(request).next().value as AuthRequest;
  expect(first.headers.has('Authorization')).toBe(false);
});

test('through axios-mock-adapter, with WWW-Authenticate as an array: the RFC 7616 answer', async () => {
  const client = withAuth(axios.create({ baseURL: 'http://www.example.org' }));
  const mock = new MockAdapter(client);
  const seen: (string | undefined)[] = [];
  mock.onGet('/dir/index.html').reply((config): [number, unknown, Record<string, string>?] => {
    const authorization = config.headers?.Authorization as string | undefined;
    seen.push(authorization);
    if (!authorization) {
      return [
        401,
        '',
        {
          'www-authenticate': [
            'Basic realm="nope"',
            'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
              'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
              'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
          ],
        } as unknown as Record<string, string>, // arrays: typed as strings only
      ];
    }
    return [200, { ok: true }];
  });
  const auth = new FixedCnonceDigestAuth(
    'Mufasa',
    'Circle of Life',
    'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  );
  const r = await client.get('/dir/index.html', { auth });
  expect(r.status).toBe(200);
  expect(r.history).toHaveLength(1);
  expect(seen).toHaveLength(2);
  expect(authorizationParams(seen[1])).toMatchObject({
    username: 'Mufasa',
    uri: '/dir/index.html',
    response: '8ca523f5e9506fed4657c9700eebdbec',
  });
});

/** What a mock server saw of each request: the nonce answered (or '-') and the Cookie header. */
interface Seen {
  nonce: string;
  cookie: string;
}

/** A client on a mock server that answers the n-th request (1-based) with `replies[n - 1]`. */
function scripted(replies: [number, Record<string, string>][]) {
  const client = withAuth(
    axios.create({
      baseURL: 'http://h.example',
      validateStatus: null,
      auth: new DigestAuth('u', 'p'),
    }),
  );
  const seen: Seen[] = [];
  new MockAdapter(client).onGet('/x').reply((config) => {
    const authorization = config.headers?.Authorization as string | undefined;
    const cookie = config.headers?.Cookie as string | undefined;
    seen.push({
      nonce: authorization ? authorizationParams(authorization).nonce! : '-',
      cookie: cookie ?? '-',
    });
    const reply = replies[seen.length - 1];
    if (!reply) throw new Error(`unexpected request ${seen.length}`);
    return [reply[0], '', reply[1]];
  });
  return { client, seen };
}

test('cookies add up over the retries: the third request carries those of both 401s', async () => {
  const { client, seen } = scripted([
    [401, { 'www-authenticate': challenge('n1'), 'set-cookie': 'session=s1' }],
    [401, { 'www-authenticate': challenge('n2', ', stale=true'), 'set-cookie': 'lb=x' }],
    [200, {}],
  ]);
  const r = await client.get('/x');
  expect(r.status).toBe(200);
  expect(r.history.map((h) => h.status)).toEqual([401, 401]);
  expect(seen).toEqual([
    { nonce: '-', cookie: '-' },
    { nonce: 'n1', cookie: 'session=s1' },
    { nonce: 'n2', cookie: 'session=s1; lb=x' },
  ]);
});

test('preemptive, stale 401, then a fresh 401: two requests, and that 401 is returned', async () => {
  const { client, seen } = scripted([
    [401, { 'www-authenticate': challenge('n1') }],
    [200, {}],
    // second call: preemptive with n1
    [401, { 'www-authenticate': challenge('n2', ', stale=true') }],
    [401, { 'www-authenticate': challenge('n3') }],
    // third call
    [200, {}],
  ]);
  expect((await client.get('/x')).status).toBe(200);
  const r = await client.get('/x');
  expect(r.status).toBe(401);
  expect(r.history.map((h) => h.status)).toEqual([401]);
  expect(seen.map((s) => s.nonce)).toEqual(['-', 'n1', 'n1', 'n2']);
  // The fresh 401 meant wrong credentials: the challenge is forgotten, so the next call starts
  // cold instead of sending a digest the server just refused.
  await client.get('/x');
  expect(seen.map((s) => s.nonce)).toEqual(['-', 'n1', 'n1', 'n2', '-']);
});

test('a challenge value beyond Latin-1 (a mock adapter) is echoed as the UTF-8 bytes hashed', () => {
  const auth = new FixedCnonceDigestAuth('u', 'p', 'c1');
  const { flow } = drive(auth);
  const retry = flow.next(
    fakeResponse(401, { 'WWW-Authenticate': 'Digest realm="Ω", nonce="n", opaque="ü€"' }),
  ).value as AuthRequest;
  const value = String(retry.headers.get('Authorization'));
  expect([...value].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
  expect(value).toContain(`realm="${Buffer.from('Ω').toString('latin1')}"`);
  expect(value).toContain(`opaque="${Buffer.from('ü€').toString('latin1')}"`);
});
