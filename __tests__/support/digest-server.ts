/**
 * The Digest endpoint of the in-process httpbin (__tests__/support/httpbin.ts). It verifies every digest
 * itself, with Node's `crypto` and its own header parsing (nothing from src/), so a test that
 * passes against it shows the client computed what a server computes.
 *
 *   ANY /digest-auth/:qop/:user/:pass[/:algorithm[/:staleAfter]]
 *
 * As httpbin: qop is `auth`, `auth-int` or `auth,auth-int`, plus `none` (RFC 2069, no qop);
 * algorithm defaults to MD5 and is any of RFC 7616's (an unknown one is offered as is, so a test
 * can see the client refuse it); staleAfter is how many requests a nonce serves before the server
 * answers `stale=true` with a new one. `/digest-auth/auth/olivia/secret` is the seed's example.
 *
 * Knobs, in the query (which is part of `uri`, so they are verified too):
 *   realm=...         the realm (default "me@kennethreitz.com", httpbin's)
 *   userhash=1        offer userhash=true; then a hashed user name is required
 *   charset=1         offer charset=UTF-8 (also sent when the user name is not ASCII)
 *   charset=0         never offer charset (Apache httpd 2.4): a non-ASCII user name must then
 *                     come as its raw UTF-8 bytes in `username="..."`
 *   nextnonce=1       every success sends Authentication-Info: nextnonce; a nonce serves once
 *   cookie=1          the 401 sets a session cookie that the authenticated request must carry
 *   challenges=multi  Basic, a custom scheme and an unsupported Digest before the real one,
 *                     over three header lines (Node's client folds them into one)
 *   omit=nonce|realm|opaque   leave that parameter out of the challenge
 *   malformed=1       send a WWW-Authenticate that does not parse (an unclosed quote)
 *   domain=...        the challenge's `domain` parameter
 *
 * State per server (`digestServerState(server)`): every nonce issued and the nonce counts it
 * has seen, so a test can assert that no count was used twice for a nonce.
 */
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
// Types only: httpbin.ts imports this module, and a value import back would be a cycle.
import type { Httpbin, RecordedRequest, Route } from './httpbin';

export interface NonceRecord {
  /** Successful requests answered with this nonce. */
  uses: number;
  /** Every nonce count seen with it (hex digits parsed). */
  counts: Set<number>;
  /** Replaced by a nextnonce, or past its staleAfter: answered with stale=true. */
  stale: boolean;
}

export interface DigestServerState {
  nonces: Map<string, NonceRecord>;
  /** Requests that repeated a nonce count already seen for their nonce. */
  reusedCounts: { nonce: string; nc: number }[];
  /** Requests accepted. */
  accepted: number;
  /** Why requests with an Authorization header were refused, in order. */
  refusals: string[];
  /** The session cookie the last `cookie=1` challenge set. */
  cookies: Set<string>;
}

const HASHES: Record<string, string> = {
  MD5: 'md5',
  SHA: 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
  'SHA-512-256': 'sha512-256',
};

const states = new WeakMap<Httpbin, DigestServerState>();

/** What the Digest endpoint of `server` has seen. */
export function digestServerState(server: Httpbin): DigestServerState {
  let state = states.get(server);
  if (!state) {
    state = { nonces: new Map(), reusedCounts: [], accepted: 0, refusals: [], cookies: new Set() };
    states.set(server, state);
  }
  return state;
}

interface Endpoint {
  qops: string[];
  user: string;
  pass: string;
  algorithm: string;
  staleAfter: number;
  realm: string;
  query: URLSearchParams;
}

function endpoint(request: RecordedRequest): Endpoint | undefined {
  const url = new URL(request.path, 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'digest-auth' || parts.length < 4 || parts.length > 6) return undefined;
  const [, qop = '', user = '', pass = '', algorithm = 'MD5', staleAfter = 'never'] = parts;
  return {
    qops: qop === 'none' ? [] : qop.split(',').map((q) => q.trim()),
    user,
    pass,
    algorithm,
    staleAfter: staleAfter === 'never' ? Infinity : Number(staleAfter),
    // As the bytes on the wire: Node reads and writes header values one byte per character.
    realm: Buffer.from(url.searchParams.get('realm') ?? 'me@kennethreitz.com', 'utf8').toString(
      'latin1',
    ),
    query: url.searchParams,
  };
}

/** The Digest route: registered among httpbin's built-in routes. */
export const digestRoute: Route = (request, res, server) => {
  const ep = endpoint(request);
  if (!ep) return false;
  const state = digestServerState(server);
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string' || !/^digest /i.test(authorization)) {
    return challenge(res, ep, state, false);
  }
  const verdict = verify(request, ep, state, parseAuthorization(authorization.slice(7)));
  if (verdict === 'ok') {
    state.accepted++;
    if (ep.query.get('nextnonce') === '1') {
      res.setHeader(
        'Authentication-Info',
        `nextnonce="${issueNonce(state)}", qop=${ep.qops[0] ?? 'auth'}`,
      );
    }
    return json(res, 200, { authenticated: true, user: ep.user });
  }
  state.refusals.push(verdict);
  return challenge(res, ep, state, verdict === 'stale');
};

/** 'ok', 'stale', or why the digest was refused. */
type Verdict = string;

function verify(
  request: RecordedRequest,
  ep: Endpoint,
  state: DigestServerState,
  params: Map<string, string>,
): Verdict {
  const hashName = HASHES[ep.algorithm.toUpperCase().replace(/-SESS$/, '')];
  if (!hashName) return 'unsupported algorithm';
  const session = /-sess$/i.test(ep.algorithm);
  const H = (data: Buffer | string): string =>
    createHash(hashName)
      .update(typeof data === 'string' ? Buffer.from(data, 'latin1') : data)
      .digest('hex');
  const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

  for (const name of ['realm', 'nonce', 'uri', 'response']) {
    if (!params.has(name)) return `missing ${name}`;
  }
  const realm = params.get('realm')!;
  const nonce = params.get('nonce')!;
  const uri = params.get('uri')!;
  if (realm !== ep.realm) return 'wrong realm';
  if (uri !== request.path) return `uri ${uri} is not the request target ${request.path}`;
  if (ep.query.get('omit') !== 'opaque' && params.get('opaque') !== opaqueFor(ep)) {
    return 'opaque not echoed';
  }
  const algorithmEcho = params.get('algorithm');
  if (algorithmEcho !== undefined && algorithmEcho.toUpperCase() !== ep.algorithm.toUpperCase()) {
    return 'wrong algorithm';
  }

  // The user: hashed (userhash=true), username* (RFC 8187), or plain.
  const userhash = ep.query.get('userhash') === '1';
  let userOk: boolean;
  if (params.get('userhash') === 'true') {
    userOk = userhash && params.get('username') === H(`${utf8(ep.user)}:${realm}`);
  } else if (params.has('username*')) {
    // Like Apache httpd, a server that offered no charset does not read username*.
    const ext = /^UTF-8'[^']*'(.*)$/i.exec(params.get('username*')!);
    userOk =
      ep.query.get('charset') !== '0' &&
      !!ext &&
      decodeURIComponent(ext[1]!) === ep.user &&
      !params.has('username');
  } else {
    // Node gives header values one character per byte: a raw UTF-8 name is decoded here.
    userOk = Buffer.from(params.get('username') ?? '', 'latin1').toString('utf8') === ep.user;
  }
  if (!userOk) return 'wrong user';

  const qop = params.get('qop');
  const cnonce = params.get('cnonce');
  const ncText = params.get('nc');
  if (ep.qops.length === 0) {
    if (qop !== undefined || ncText !== undefined) return 'qop sent to an RFC 2069 challenge';
  } else {
    if (qop === undefined || !ep.qops.includes(qop)) return 'qop not offered';
    if (cnonce === undefined || ncText === undefined || !/^[0-9a-f]{8}$/i.test(ncText)) {
      return 'missing nc or cnonce';
    }
  }
  if (session && cnonce === undefined) return 'missing cnonce for -sess';

  if (ep.query.get('cookie') === '1') {
    const cookie = String(request.headers.cookie ?? '');
    const sent = cookie.split(/;\s*/).find((pair) => pair.startsWith('digest_session='));
    if (!sent || !state.cookies.has(sent.slice('digest_session='.length)))
      return 'no session cookie';
  }

  // RFC 7616 §3.4.2/§3.4.3, computed here independently.
  let A1 = `${utf8(ep.user)}:${realm}:${utf8(ep.pass)}`;
  if (session) A1 = `${H(A1)}:${nonce}:${cnonce}`;
  let A2 = `${request.method}:${uri}`;
  if (qop === 'auth-int') A2 += `:${H(request.body)}`;
  const expected = qop
    ? H(`${H(A1)}:${nonce}:${ncText}:${cnonce}:${qop}:${H(A2)}`)
    : H(`${H(A1)}:${nonce}:${H(A2)}`);
  if (params.get('response') !== expected) return 'wrong response';

  const record = state.nonces.get(nonce);
  if (!record) return 'unknown nonce';
  if (ncText !== undefined) {
    const nc = parseInt(ncText, 16);
    if (record.counts.has(nc)) {
      state.reusedCounts.push({ nonce, nc });
      return 'nonce count reused';
    }
    record.counts.add(nc);
  }
  // A valid digest with an expired nonce: stale (RFC 7616 §3.3), not wrong credentials.
  if (record.stale || record.uses >= ep.staleAfter) {
    record.stale = true;
    return 'stale';
  }
  record.uses++;
  if (ep.query.get('nextnonce') === '1') record.stale = true; // one use, then the nextnonce
  return 'ok';
}

function challenge(
  res: http.ServerResponse,
  ep: Endpoint,
  state: DigestServerState,
  stale: boolean,
): true {
  const q = ep.query;
  if (q.get('malformed') === '1') {
    res.setHeader('WWW-Authenticate', `Digest realm="${escape(ep.realm)}", nonce="abc`);
    return json(res, 401, { authenticated: false });
  }
  const params: string[] = [];
  if (q.get('omit') !== 'realm') params.push(`realm="${escape(ep.realm)}"`);
  if (ep.qops.length > 0) params.push(`qop="${ep.qops.join(',')}"`);
  if (q.get('omit') !== 'nonce') params.push(`nonce="${issueNonce(state)}"`);
  if (q.get('omit') !== 'opaque') params.push(`opaque="${opaqueFor(ep)}"`);
  params.push(`algorithm=${ep.algorithm}`);
  if (stale) params.push('stale=TRUE');
  const charset = q.get('charset');
  if (charset === '1' || (charset !== '0' && /[^\x20-\x7e]/.test(ep.user))) {
    params.push('charset=UTF-8');
  }
  if (q.get('userhash') === '1') params.push('userhash=true');
  if (q.has('domain')) params.push(`domain="${escape(q.get('domain')!)}"`);
  const digest = `Digest ${params.join(', ')}`;
  if (q.get('challenges') === 'multi') {
    res.setHeader('WWW-Authenticate', [
      'Basic realm="basic, with a comma"',
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", ' +
        `Digest realm="${escape(ep.realm)}", nonce="${issueNonce(state)}", algorithm=SHA3-999, qop="auth"`,
      digest,
    ]);
  } else {
    res.setHeader('WWW-Authenticate', digest);
  }
  if (q.get('cookie') === '1') {
    const session = randomBytes(8).toString('hex');
    state.cookies.add(session);
    res.setHeader('Set-Cookie', [
      `digest_session=${session}; Path=/; HttpOnly`,
      'elsewhere=1; Path=/somewhere-else',
    ]);
  }
  return json(res, 401, { authenticated: false });
}

/**
 * The body goes as a Buffer: with a string body Node writes the header block in the body's
 * encoding (UTF-8), which would re-encode a UTF-8 realm already held as bytes.
 */
function json(res: http.ServerResponse, status: number, body: unknown): true {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
  return true;
}

function issueNonce(state: DigestServerState): string {
  const nonce = randomBytes(16).toString('base64');
  state.nonces.set(nonce, { uses: 0, counts: new Set(), stale: false });
  return nonce;
}

function opaqueFor(ep: Endpoint): string {
  return createHash('md5').update(`${ep.realm}:opaque`).digest('hex');
}

/** A quoted-string's content: `"` and `\` escaped. */
function escape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** The parameters of an Authorization value, read independently of src/http/challenge.ts. */
function parseAuthorization(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /([a-zA-Z0-9*_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,|$)/g;
  for (const m of text.matchAll(re)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  return params;
}
