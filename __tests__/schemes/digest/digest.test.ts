/**
 * DigestAuth through the real driver (`withAuth(axios.create())`) against the in-process
 * httpbin, whose Digest endpoint verifies every digest itself (__tests__/support/digest-server.ts).
 * Each test asserts what the server received, how many exchanges it took, status and history.
 */
import { inspect } from 'node:util';
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { withAuth, DigestAuth, DigestAuthError, ChallengeParseError } from '../../../src/index';
import { startHttpbin, type Httpbin, type RecordedRequest } from '../../support/httpbin';
import { digestServerState } from '../../support/digest-server';
import { authorizationParams } from '../../support/digest-helpers';

let server: Httpbin;

beforeEach(async () => {
  server = await startHttpbin();
});

afterEach(async () => {
  await server.close();
});

const client = (auth?: DigestAuth) =>
  auth ? withAuth(axios.create({ auth })) : withAuth(axios.create());

/** The Authorization parameters of each request the server received. */
const sentParams = (requests: RecordedRequest[] = server.requests) =>
  requests.map((r) =>
    r.headers.authorization ? authorizationParams(r.headers.authorization) : undefined,
  );

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

test("the seed's example: 200 with the 401 in history", async () => {
  const c = client(new DigestAuth('olivia', 'secret'));
  const r = await c.get(`${server.url}/digest-auth/auth/olivia/secret`);
  expect(r.status).toBe(200);
  expect(r.data).toEqual({ authenticated: true, user: 'olivia' });
  expect(r.history).toHaveLength(1);
  expect(r.history[0]!.status).toBe(401);
  expect(r.history[0]!.history).toEqual([]);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[0]!.headers.authorization).toBeUndefined();
  const params = sentParams()[1]!;
  expect(params).toMatchObject({
    username: 'olivia',
    qop: 'auth',
    nc: '00000001',
    algorithm: 'MD5',
  });
  expect(params.uri).toBe('/digest-auth/auth/olivia/secret');
});

test('the constructor takes { username, password } too, and per-request auth works', async () => {
  const r = await client().get(`${server.url}/digest-auth/auth/olivia/secret`, {
    auth: new DigestAuth({ username: 'olivia', password: 'secret' }),
  });
  expect(r.status).toBe(200);
  expect(r.history.map((h) => h.status)).toEqual([401]);
});

describe('every algorithm and qop, verified by the server', () => {
  const algorithms = [
    'MD5',
    'MD5-sess',
    'SHA',
    'SHA-sess',
    'SHA-256',
    'SHA-256-sess',
    'SHA-512',
    'SHA-512-sess',
    'SHA-512-256',
    'SHA-512-256-sess',
  ];
  const qops = ['auth', 'auth-int', 'auth,auth-int', 'none'];
  for (const algorithm of algorithms) {
    test(`${algorithm} with every qop, GET and POST`, async () => {
      const c = client();
      for (const qop of qops) {
        for (const method of ['get', 'post'] as const) {
          const url = `${server.url}/digest-auth/${qop}/user/pass/${algorithm}`;
          const r = await c.request({
            method,
            url,
            data: method === 'post' ? { hello: 'wörld', list: [1, 2] } : undefined,
            auth: new DigestAuth('user', 'pass'),
          });
          expect(r.status).toBe(200);
          expect(r.history).toHaveLength(1);
        }
      }
      const state = digestServerState(server);
      expect(state.refusals).toEqual([]);
      expect(state.accepted).toBe(qops.length * 2);
      const sent = sentParams().filter((p) => p !== undefined);
      expect(new Set(sent.map((p) => p.qop))).toEqual(new Set(['auth', 'auth-int', undefined]));
    });
  }

  test('algorithm names from the server are matched without regard to case', async () => {
    const r = await client(new DigestAuth('user', 'pass')).get(
      `${server.url}/digest-auth/auth/user/pass/sha-256-SESS`,
    );
    expect(r.status).toBe(200);
    expect(sentParams()[1]!.algorithm).toBe('SHA-256-sess');
  });
});

test('auth-int hashes the body as sent: a JSON object, a string, a Buffer, URLSearchParams', async () => {
  const c = client(new DigestAuth('user', 'pass'));
  const url = `${server.url}/digest-auth/auth-int/user/pass/SHA-256`;
  const bodies: unknown[] = [
    { a: 1, text: 'naïve' },
    'plain text body',
    Buffer.from([0, 1, 2, 255]),
    new URLSearchParams({ q: 'a b&c' }),
  ];
  for (const data of bodies) {
    const r = await c.post(url, data);
    expect(r.status).toBe(200);
  }
  const state = digestServerState(server);
  expect(state.refusals).toEqual([]);
  expect(
    sentParams()
      .filter(Boolean)
      .every((p) => p!.qop === 'auth-int'),
  ).toBe(true);
});

test('auth-int with a 1 MiB body: hashed in chunks (one spread of every byte overflows the stack)', async () => {
  const body = Buffer.alloc(1024 * 1024, 0xe9);
  const r = await client(new DigestAuth('user', 'pass')).post(
    `${server.url}/digest-auth/auth-int/user/pass/SHA-256`,
    body,
  );
  expect(r.status).toBe(200);
  expect(r.history.map((h) => h.status)).toEqual([401]);
  expect(server.requests[1]!.body.length).toBe(body.length);
  expect(digestServerState(server).refusals).toEqual([]);
});

test('qop list "auth,auth-int": auth is chosen', async () => {
  await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth,auth-int/user/pass`,
  );
  expect(sentParams()[1]!.qop).toBe('auth');
});

test('no qop (RFC 2069): no qop, nc or cnonce is sent', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/none/user/pass`,
  );
  expect(r.status).toBe(200);
  const params = sentParams()[1]!;
  expect(params.qop).toBeUndefined();
  expect(params.nc).toBeUndefined();
  expect(params.cnonce).toBeUndefined();
});

test('opaque is echoed', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass`,
  );
  const offered = /opaque="([^"]+)"/.exec(String(r.history[0]!.headers['www-authenticate']))![1];
  expect(sentParams()[1]!.opaque).toBe(offered);
  expect(digestServerState(server).refusals).toEqual([]);
});

test('userhash=true: the user name goes hashed', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass/SHA-256?userhash=1`,
  );
  expect(r.status).toBe(200);
  const params = sentParams()[1]!;
  expect(params.userhash).toBe('true');
  expect(params.username).toMatch(/^[0-9a-f]{64}$/);
  expect(server.requests[1]!.headers.authorization).not.toContain('"user"');
});

test('a non-ASCII user name goes as username* (RFC 7616 §3.4.4), with charset=UTF-8', async () => {
  const user = 'Jäsøn Doe';
  const r = await client(new DigestAuth(user, 'Secret, or not?')).get(
    `${server.url}/digest-auth/auth/${encodeURIComponent(user)}/${encodeURIComponent('Secret, or not?')}/SHA-512-256`,
  );
  expect(r.status).toBe(200);
  const header = String(server.requests[1]!.headers.authorization);
  expect(header).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
  expect(header).not.toMatch(/username="/);
});

describe('a non-ASCII user name where no charset is offered (Apache httpd 2.4): raw UTF-8', () => {
  const user = 'jürgen Ωμέγα';
  const url = () => `${server.url}/digest-auth/auth/${encodeURIComponent(user)}/pw/MD5?charset=0`;

  test.each(['http', 'fetch'] as const)(
    'with the %s adapter, the bytes arrive intact in username="..."',
    async (adapter) => {
      const r = await withAuth(axios.create({ auth: new DigestAuth(user, 'pw'), adapter })).get(
        url(),
      );
      expect(r.status).toBe(200);
      const raw = Buffer.from(String(server.requests[1]!.headers.authorization), 'latin1');
      expect(raw.includes(Buffer.from(`username="${user}"`, 'utf8'))).toBe(true);
      expect(raw.toString('latin1')).not.toContain('username*');
    },
  );

  test('the same name where charset=UTF-8 is offered goes as username*', async () => {
    const r = await client(new DigestAuth(user, 'pw')).get(
      `${server.url}/digest-auth/auth/${encodeURIComponent(user)}/pw/MD5?charset=1`,
    );
    expect(r.status).toBe(200);
    const header = String(server.requests[1]!.headers.authorization);
    expect(header).toContain("username*=UTF-8''j%C3%BCrgen%20");
    expect(header).not.toMatch(/username="/);
  });
});

test('a non-ASCII user name with userhash: the hash of its UTF-8 bytes', async () => {
  const user = 'Jäsøn Doe';
  const r = await client(new DigestAuth(user, 'pw')).get(
    `${server.url}/digest-auth/auth/${encodeURIComponent(user)}/pw/SHA-512-256?userhash=1`,
  );
  expect(r.status).toBe(200);
});

test('" and \\ are escaped in quoted values (realm with quotes, backslash and a comma)', async () => {
  const realm = 'the "realm", with \\ and , inside';
  const r = await client(new DigestAuth('we"ird\\user', 'pass')).get(
    `${server.url}/digest-auth/auth/${encodeURIComponent('we"ird\\user')}/pass?realm=${encodeURIComponent(realm)}`,
  );
  expect(r.status).toBe(200);
  const header = String(server.requests[1]!.headers.authorization);
  expect(header).toContain('username="we\\"ird\\\\user"');
  expect(header).toContain('realm="the \\"realm\\", with \\\\ and , inside"');
});

test('a UTF-8 realm is hashed and echoed as the bytes the server sent', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass?realm=${encodeURIComponent('Zürich Kamera ☃')}`,
  );
  expect(r.status).toBe(200);
  expect(digestServerState(server).refusals).toEqual([]);
});

test('uri is the request target on the wire: baseURL and params applied', async () => {
  const c = withAuth(
    axios.create({
      baseURL: `${server.url}/digest-auth/auth/`,
      auth: new DigestAuth('user', 'pass'),
    }),
  );
  const r = await c.get('user/pass', { params: { q: 'a b', list: 'x/y?' } });
  expect(r.status).toBe(200);
  const wire = server.requests[1]!.path;
  expect(wire).toMatch(/^\/digest-auth\/auth\/user\/pass\?q=a\+b&list=x%2Fy%3F$/);
  expect(sentParams()[1]!.uri).toBe(wire);
});

test('uri is the raw request line where URL would differ: params: { q: "it\'s" }', async () => {
  // axios appends params after parsing the URL, so `'` goes raw on the wire, where `URL`
  // percent-encodes it: a uri built from `URL` would not be the target the server checks.
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass`,
    { params: { q: "it's" } },
  );
  expect(r.status).toBe(200);
  expect(r.history.map((h) => h.status)).toEqual([401]);
  expect(server.requests[1]!.path).toBe("/digest-auth/auth/user/pass?q=it's");
  expect(sentParams()[1]!.uri).toBe("/digest-auth/auth/user/pass?q=it's");
});

test('uri matches the wire for a query with spaces and non-ASCII written into the URL', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass?name=Jäsøn Doe&q="quoted"`,
  );
  expect(r.status).toBe(200);
  expect(sentParams()[1]!.uri).toBe(server.requests[1]!.path);
  expect(server.requests[1]!.path).toContain('J%C3%A4s%C3%B8n');
});

describe('the challenge is remembered per origin and realm', () => {
  test('N sequential calls cost N+1 exchanges, with the nonce count rising', async () => {
    const c = client(new DigestAuth('user', 'pass'));
    const N = 5;
    for (let i = 0; i < N; i++) {
      const r = await c.get(`${server.url}/digest-auth/auth/user/pass/SHA-256`);
      expect(r.status).toBe(200);
      expect(r.history).toHaveLength(i === 0 ? 1 : 0);
    }
    expect(server.requests).toHaveLength(N + 1);
    const sent = sentParams().slice(1);
    expect(sent.map((p) => p!.nc)).toEqual([
      '00000001',
      '00000002',
      '00000003',
      '00000004',
      '00000005',
    ]);
    expect(new Set(sent.map((p) => p!.nonce)).size).toBe(1);
    expect(new Set(sent.map((p) => p!.cnonce)).size).toBe(N);
  });

  test('another path of the same origin gets the header at once too', async () => {
    const c = client(new DigestAuth('user', 'pass'));
    await c.get(`${server.url}/digest-auth/auth/user/pass`);
    const r = await c.get(`${server.url}/digest-auth/auth,auth-int/user/pass`, {
      params: { x: 1 },
    });
    expect(r.status).toBe(200);
    expect(r.history).toEqual([]);
    expect(server.requests).toHaveLength(3);
    expect(sentParams()[2]!.uri).toBe('/digest-auth/auth,auth-int/user/pass?x=1');
  });

  test('never sent to another origin', async () => {
    const other = await startHttpbin();
    try {
      const c = client(new DigestAuth('user', 'pass'));
      await c.get(`${server.url}/digest-auth/auth/user/pass`);
      const r = await c.get(`${other.url}/digest-auth/auth/user/pass`);
      expect(r.status).toBe(200);
      expect(r.history).toHaveLength(1);
      expect(other.requests[0]!.headers.authorization).toBeUndefined();
      // and 127.0.0.1 vs localhost on the same port are different origins as well
      const local = server.url.replace('127.0.0.1', 'localhost');
      const before = server.requests.length;
      await c.get(`${local}/digest-auth/auth/user/pass`);
      expect(server.requests[before]!.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  test('two realms on one origin: each keeps its own challenge and nonce count', async () => {
    const c = client(new DigestAuth('user', 'pass'));
    const a = `${server.url}/digest-auth/auth/user/pass?realm=A&domain=${encodeURIComponent('/digest-auth/auth/')}`;
    const b = `${server.url}/digest-auth/auth-int/user/pass?realm=B&domain=${encodeURIComponent('/digest-auth/auth-int/')}`;
    await c.get(a);
    await c.get(b); // outside A's domain: starts cold, not with realm A's credentials
    expect(server.requests).toHaveLength(4);
    expect(server.requests[2]!.headers.authorization).toBeUndefined();
    const beforeWarm = server.requests.length;
    for (let i = 0; i < 3; i++) {
      expect((await c.get(a)).history).toEqual([]);
      expect((await c.get(b)).history).toEqual([]);
    }
    expect(server.requests.length - beforeWarm).toBe(6);
    const warm = sentParams().slice(beforeWarm);
    expect(warm.map((p) => p!.realm)).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
    expect(warm.filter((p) => p!.realm === 'A').map((p) => p!.nc)).toEqual([
      '00000002',
      '00000003',
      '00000004',
    ]);
  });
});

test('stale=true: one retry with the new nonce, no prompt for credentials', async () => {
  const c = client(new DigestAuth('user', 'pass'));
  const url = `${server.url}/digest-auth/auth/user/pass/MD5/1`; // a nonce serves one request
  expect((await c.get(url)).status).toBe(200);
  const r = await c.get(url);
  expect(r.status).toBe(200);
  expect(r.history).toHaveLength(1);
  expect(String(r.history[0]!.headers['www-authenticate'])).toMatch(/stale=TRUE/);
  expect(server.requests).toHaveLength(4);
  const sent = sentParams();
  expect(sent[2]!.nonce).toBe(sent[1]!.nonce); // the preemptive one, with the old nonce
  expect(sent[3]!.nonce).not.toBe(sent[2]!.nonce);
  expect(sent[3]!.nc).toBe('00000001');
  // and the new nonce is used from then on
  const third = await c.get(url);
  expect(third.history).toHaveLength(1); // stale again (staleAfter=1), answered again
});

test('Authentication-Info: nextnonce is used for the next request', async () => {
  const c = client(new DigestAuth('user', 'pass'));
  const url = `${server.url}/digest-auth/auth/user/pass/SHA-256?nextnonce=1`;
  const N = 4;
  const responses: AxiosResponse[] = [];
  for (let i = 0; i < N; i++) responses.push(await c.get(url));
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  expect(server.requests).toHaveLength(N + 1);
  const sent = sentParams();
  for (let i = 2; i <= N; i++) {
    const info = String(responses[i - 2]!.headers['authentication-info']);
    expect(info).toContain(`nextnonce="${sent[i]!.nonce}"`);
    expect(sent[i]!.nc).toBe('00000001');
  }
  expect(digestServerState(server).refusals).toEqual([]);
});

test('wrong credentials: the 401 comes back after exactly one retry, with history', async () => {
  const c = client(new DigestAuth('user', 'wrong'));
  const error = await rejection(c.get(`${server.url}/digest-auth/auth/user/pass`));
  expect(error).toBeInstanceOf(AxiosError);
  const response = (error as AxiosError).response!;
  expect(response.status).toBe(401);
  expect(response.history.map((h) => h.status)).toEqual([401]);
  expect(server.requests).toHaveLength(2);
  // with validateStatus letting 401 through, the same, as a response
  const r = await c.get(`${server.url}/digest-auth/auth/user/pass`, { validateStatus: () => true });
  expect(r.status).toBe(401);
  expect(r.history).toHaveLength(1);
  expect(server.requests).toHaveLength(4);
});

test('cookies set on the 401 go along with the retry, merged into a Cookie already there', async () => {
  const c = client(new DigestAuth('user', 'pass'));
  const url = `${server.url}/digest-auth/auth/user/pass?cookie=1`;
  expect((await c.get(url)).status).toBe(200);
  expect(String(server.requests[1]!.headers.cookie)).toMatch(/^digest_session=[0-9a-f]{16}$/);

  const c2 = client(new DigestAuth('user', 'pass'));
  const r = await c2.get(url, { headers: { Cookie: 'theme=dark; digest_session=old' } });
  expect(r.status).toBe(200);
  const cookie = String(server.requests[3]!.headers.cookie);
  expect(cookie).toMatch(/^theme=dark; digest_session=[0-9a-f]{16}$/);
  expect(cookie).not.toContain('elsewhere'); // Path=/somewhere-else does not apply
});

test('several challenges over several header lines: the supported Digest one wins over Basic', async () => {
  const r = await client(new DigestAuth('user', 'pass')).get(
    `${server.url}/digest-auth/auth/user/pass/SHA-256?challenges=multi`,
  );
  expect(r.status).toBe(200);
  const folded = String(r.history[0]!.headers['www-authenticate']);
  expect(folded).toMatch(/^Basic .*Newauth .*Digest .*SHA3-999.*Digest /);
  expect(sentParams()[1]!.algorithm).toBe('SHA-256');
});

// The http adapter tells the final URL itself; the fetch adapter's redirects the driver follows.
test.each(['http', 'fetch'] as const)(
  'a protected resource behind a redirect (%s adapter): the digest is for the URL that sent the challenge',
  async (adapter) => {
    const target = '/digest-auth/auth/user/pass?after=redirect';
    const authed = withAuth(axios.create({ adapter, auth: new DigestAuth('user', 'pass') }));
    const r = await authed.get(`${server.url}/redirect-to?url=${encodeURIComponent(target)}`);
    expect(r.status).toBe(200);
    expect(r.history.map((h) => h.status)).toEqual([401]);
    expect(server.requests.map((q) => q.path)).toEqual([
      `/redirect-to?url=${encodeURIComponent(target)}`,
      target,
      target,
    ]);
    expect(sentParams()[2]!.uri).toBe(target);
  },
);

test('a 401 from another origin after a redirect is not answered', async () => {
  const other = await startHttpbin();
  try {
    const r = await client(new DigestAuth('user', 'pass')).get(
      `${server.url}/redirect-to?url=${encodeURIComponent(`${other.url}/digest-auth/auth/user/pass`)}`,
      { validateStatus: () => true },
    );
    expect(r.status).toBe(401);
    expect(r.history).toEqual([]);
    expect(other.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
  } finally {
    await other.close();
  }
});

describe('bad challenges: a clear error, nothing sent, the same DigestAuth still works', () => {
  test('an unknown algorithm', async () => {
    const auth = new DigestAuth('user', 'pass');
    const c = client(auth);
    const error = await rejection(c.get(`${server.url}/digest-auth/auth/user/pass/SHA3-999`));
    expect(error).toBeInstanceOf(DigestAuthError);
    expect((error as DigestAuthError).code).toBe('unsupported-algorithm');
    expect((error as Error).message).toMatch(/algorithm "SHA3-999", which is not supported/);
    expect(server.requests).toHaveLength(1);
    const r = await c.get(`${server.url}/digest-auth/auth/user/pass/SHA-256`);
    expect(r.status).toBe(200);
    expect(r.history).toHaveLength(1);
  });

  test('an unknown qop', async () => {
    const c = client(new DigestAuth('user', 'pass'));
    const error = await rejection(c.get(`${server.url}/digest-auth/auth-conf/user/pass`));
    expect(error).toBeInstanceOf(DigestAuthError);
    expect((error as DigestAuthError).code).toBe('unsupported-qop');
    expect(server.requests).toHaveLength(1);
    expect((await c.get(`${server.url}/digest-auth/auth/user/pass`)).status).toBe(200);
  });

  test('a remembered challenge survives a bad one from the same origin', async () => {
    const c = client(new DigestAuth('user', 'pass'));
    await c.get(`${server.url}/digest-auth/auth/user/pass`);
    await rejection(c.get(`${server.url}/digest-auth/auth/user/pass/SHA3-999`));
    const before = server.requests.length;
    const r = await c.get(`${server.url}/digest-auth/auth/user/pass`);
    expect(r.history).toEqual([]);
    expect(server.requests.length - before).toBe(1);
  });

  test.each([
    ['nonce', 'missing-nonce', /without a nonce/],
    ['realm', 'missing-realm', /without a realm/],
  ])('a challenge without %s', async (omit, code, message) => {
    const error = await rejection(
      client(new DigestAuth('user', 'pass')).get(
        `${server.url}/digest-auth/auth/user/pass?omit=${omit}`,
      ),
    );
    expect(error).toBeInstanceOf(DigestAuthError);
    expect((error as DigestAuthError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(1);
  });

  test('a malformed WWW-Authenticate: ChallengeParseError, which does not echo the header', async () => {
    const error = await rejection(
      client(new DigestAuth('user', 'pass')).get(
        `${server.url}/digest-auth/auth/user/pass?malformed=1`,
      ),
    );
    expect(error).toBeInstanceOf(ChallengeParseError);
    expect((error as Error).message).toMatch(
      /^WWW-Authenticate header is malformed: a quoted string is not closed \(at character \d+\)$/,
    );
    expect((error as Error).message).not.toContain('abc');
    expect(server.requests).toHaveLength(1);
  });

  test('a 401 without any Digest challenge is returned as it is', async () => {
    const r = await client(new DigestAuth('user', 'pass')).get(
      `${server.url}/basic-auth/user/pass`,
      {
        validateStatus: () => true,
      },
    );
    expect(r.status).toBe(401);
    expect(r.history).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

test('no password in console.log, util.inspect or JSON.stringify', () => {
  const auth = new DigestAuth('olivia', 'hunter2-secret');
  expect(inspect(auth)).toBe(`DigestAuth { username: "olivia", password: '[redacted]' }`);
  expect(inspect({ nested: { auth } }, { depth: 5 })).not.toContain('hunter2');
  expect(JSON.stringify(auth)).not.toContain('hunter2');
  expect(JSON.stringify(auth)).toContain('olivia');
});

test('bad credentials are refused when the DigestAuth is made', () => {
  expect(() => new DigestAuth('user\r\nX-Injected: 1', 'p')).toThrow(/CR, LF or NUL/);
  expect(() => new DigestAuth('user', 'p\0')).toThrow(/CR, LF or NUL/);
  expect(() => new DigestAuth(1 as unknown as string, 'p')).toThrow(TypeError);
  // a ':' is fine in a Digest user name (it is hashed, never split)
  expect(() => new DigestAuth('a:b', 'p')).not.toThrow();
});
