/**
 * HTTP Digest authentication: RFC 7616, with RFC 2617's and RFC 2069's older forms.
 *
 * The flow (`authFlow`) is synchronous and does the RFC's arithmetic; `asyncAuthFlow` adds the
 * one thing that needs waiting, so that concurrent first calls to an origin share one challenge.
 *
 * What it remembers. A challenge is kept per protection space: origin (scheme, host, port) and
 * realm. A later request to the same origin sends its Authorization at once with the next nonce
 * count, so N calls cost N+1 exchanges; a challenge is never used for another origin. Each nonce
 * has its own counter, taken synchronously when a header is built, so concurrent calls never
 * send one nonce count twice, even when stale nonces and `nextnonce` swap the nonce under them.
 *
 * Hashing. `@noble/hashes` 1.x: synchronous (WebCrypto's `subtle.digest` is async and has no
 * MD5), browser-safe (no `crypto` import; Node's `crypto` would pull a polyfill into bundles),
 * audited, zero dependencies, CommonJS and ESM. MD5, SHA-1, SHA-256, SHA-512 and SHA-512/256
 * together are 11.7 kB minified, 5.3 kB gzipped (esbuild, browser platform). The alternatives:
 * crypto-js (discontinued, no SHA-512/256), one package per hash (js-md5, js-sha1, js-sha256,
 * js-sha512: four dependencies), hash-wasm (async), or hand-written hashes here (a few kB
 * smaller, but our own unaudited cryptography).
 *
 * SHA-512-256 is FIPS 180-4 SHA-512/256 (its own initial values), as lighttpd computes it. The
 * example in RFC 7616 §3.9.2 was computed with SHA-512 cut to 256 bits; erratum 4897 gives the
 * SHA-512/256 values, which the tests check.
 *
 * Bytes. User names and passwords are hashed as UTF-8 (RFC 7616 §3.4.4 `charset=UTF-8`; what
 * httpx, curl and browsers send). Values from the challenge (realm, nonce) are hashed as the
 * bytes the server sent: Node and fetch give header values as byte strings (one character per
 * byte), so such a string is hashed byte for byte.
 */
import { md5, sha1 } from '@noble/hashes/legacy';
import { sha256, sha512, sha512_256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import type { AxiosResponse } from 'axios';
import { Auth, type AsyncAuthFlow, type AuthFlow } from './auth.js';
import {
  ChallengeParseError,
  parseAuthParams,
  parseChallenges,
  type Challenge,
} from './challenge.js';
import { readCredentials, type CredentialsArgs } from './credentials.js';
import { bytesToBinary, utf8Encoder } from './encoding.js';
import { REDACTED, inspectSymbol } from './inspect.js';
import { mayCarryCredentials } from './origin.js';
import { responseUrl, type AuthRequest } from './request.js';

/** Why a Digest challenge could not be answered. */
export type DigestAuthErrorCode =
  'unsupported-algorithm' | 'unsupported-qop' | 'missing-realm' | 'missing-nonce';

/**
 * A Digest challenge that cannot be answered: an algorithm or qop this library does not know,
 * or a challenge without realm or nonce. Nothing is sent for it; the same `DigestAuth` keeps
 * working for other requests.
 */
export class DigestAuthError extends Error {
  override readonly name = 'DigestAuthError';

  constructor(
    message: string,
    readonly code: DigestAuthErrorCode,
  ) {
    super(message);
  }
}

type HashFunction = (data: Uint8Array) => Uint8Array;

/** H(data) as lower-case hex, for `data` given as a binary string (one character per byte). */
type HexDigest = (binary: string) => string;

interface NodeCrypto {
  getHashes(): string[];
  /** One-shot hashing (Node 20.12+): no Hash object per call. Strings are hashed as UTF-8. */
  hash?: (algorithm: string, data: string, encoding: 'hex') => string;
  createHash(name: string): {
    update(data: string, encoding: 'latin1'): { digest(encoding: 'hex'): string };
  };
}

/**
 * Node's own hashes where they exist (about twice as fast as the portable ones on the short
 * strings Digest hashes, and they take the binary string as is), @noble/hashes elsewhere (a
 * browser, or a FIPS build without MD5). Loaded through `getBuiltinModule`, which a bundler does
 * not follow, so browser bundles carry no `crypto` polyfill.
 */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
const nodeHashes = new Set(nodeCrypto?.getHashes() ?? []);

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function hexDigest(nodeName: string, portable: HashFunction): HexDigest {
  if (nodeCrypto && nodeHashes.has(nodeName)) {
    const crypto = nodeCrypto;
    // An ASCII binary string reads the same as UTF-8, which the one-shot `hash` takes: the
    // usual case (hex digests, ASCII names and nonces) skips creating a Hash object.
    if (crypto.hash) {
      return (binary) =>
        isAscii(binary)
          ? crypto.hash!(nodeName, binary, 'hex')
          : crypto.createHash(nodeName).update(binary, 'latin1').digest('hex');
    }
    return (binary) => crypto.createHash(nodeName).update(binary, 'latin1').digest('hex');
  }
  return (binary) => bytesToHex(portable(toBytes(binary)));
}

/** One row of RFC 7616 §6.1's registry, and RFC 2617's `-sess` forms. */
interface DigestAlgorithm {
  /** The registered name, as sent back in `algorithm=`. */
  readonly name: string;
  readonly hex: HexDigest;
  /** `<algorithm>-sess`: A1 includes the nonce and cnonce (RFC 7616 §3.4.2). */
  readonly session: boolean;
}

/** The algorithm table: the hash functions by registered name, each with its `-sess` form. */
const ALGORITHMS: ReadonlyMap<string, DigestAlgorithm> = new Map(
  (
    [
      ['MD5', hexDigest('md5', md5)],
      ['SHA', hexDigest('sha1', sha1)], // httpx's and RFC 2617-era servers' name for SHA-1
      ['SHA-256', hexDigest('sha256', sha256)],
      ['SHA-512', hexDigest('sha512', sha512)],
      ['SHA-512-256', hexDigest('sha512-256', sha512_256)],
    ] as const
  ).flatMap(([name, hex]): [string, DigestAlgorithm][] => [
    [name, { name, hex, session: false }],
    [`${name}-SESS`, { name: `${name}-sess`, hex, session: true }],
  ]),
);

const SUPPORTED = [...ALGORITHMS.values()].map((algorithm) => algorithm.name).join(', ');

/** A Digest challenge as the server sent it: an immutable record. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** RFC 2069 servers send no `algorithm`; the answer then names none either. */
  readonly algorithmNamed: boolean;
  /** The qop chosen from the server's list; undefined for RFC 2069 (no qop offered). */
  readonly qop: 'auth' | 'auth-int' | undefined;
  readonly opaque: string | undefined;
  readonly userhash: boolean;
  readonly stale: boolean;
  /** RFC 7616 §3.3 `domain`: the URLs the protection space covers, if the server said. */
  readonly domain: readonly URL[];
}

/** Everything one Authorization header is computed from. */
export interface DigestInput {
  readonly username: string;
  readonly password: string;
  readonly challenge: DigestChallenge;
  /** The nonce this request answers (the challenge's, or a later `nextnonce`). */
  readonly nonce: string;
  readonly method: string;
  /** The request target on the wire: path and query. */
  readonly uri: string;
  readonly nc: number;
  readonly cnonce: string;
  /** The body as sent, for `qop=auth-int`. */
  readonly body: () => Uint8Array;
  /**
   * H(username ":" realm ":" passwd), when the caller already has it: it only depends on the
   * credentials, the realm and the algorithm, so a client computes it once per challenge.
   */
  readonly credentialsHash?: string;
}

/**
 * Random bytes for client nonces, drawn from the platform's CSPRNG in batches: one
 * `getRandomValues` call per 256 cnonces rather than one per request (it was the largest single
 * cost of a warm Digest call). Each byte is handed out once, as Node's own `randomUUID` cache does.
 */
const randomPool = { bytes: new Uint8Array(4096), used: 4096 };

/** Lower-case hex of every byte value, so that a cnonce is built without a Uint8Array. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function randomHex(count: number): string {
  if (randomPool.used + count > randomPool.bytes.length) {
    globalThis.crypto.getRandomValues(randomPool.bytes);
    randomPool.used = 0;
  }
  let hex = '';
  for (let i = randomPool.used; i < randomPool.used + count; i++) {
    hex += HEX_BYTES[randomPool.bytes[i]!];
  }
  randomPool.used += count;
  return hex;
}

/**
 * Digest authentication. The first request to an origin is sent without credentials; the
 * server's 401 carries the challenge, and the request is sent again with the answer. Later
 * requests of the same `DigestAuth` to that origin answer the remembered challenge at once.
 *
 * Test seam: `makeCnonce()` is protected; a subclass that returns a fixed value reproduces the
 * RFC's published examples.
 *
 * @example
 * const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
 * const response = await client.get('https://httpbin.org/digest-auth/auth/olivia/secret');
 * response.history; // [the 401 that carried the challenge]
 */
export class DigestAuth extends Auth {
  /** The body is read before the flow starts: `auth-int` hashes it, and a retry resends it. */
  override readonly requiresRequestBody = true;
  readonly username: string;
  readonly #password: string;
  /** H(username ":" realm ":" passwd) per challenge record: hashed once, not on every request. */
  readonly #credentialsHashes = new WeakMap<DigestChallenge, string>();
  readonly #spaces = new ProtectionSpaces();
  /** Per origin: the first call still waiting for its challenge; other cold calls wait on it. */
  readonly #firstCalls = new Map<string, Promise<void>>();

  /**
   * @example new DigestAuth('olivia', 'secret')
   * @example new DigestAuth({ username: 'olivia', password: 'secret' })
   */
  constructor(username: string, password: string);
  constructor(credentials: { username: string; password: string });
  constructor(...args: CredentialsArgs) {
    super();
    const { username, password } = readCredentials('DigestAuth', args);
    this.username = username;
    this.#password = password;
  }

  /**
   * The client nonce of one request (RFC 7616 §3.4: `cnonce`). 16 random bytes, hex.
   * Override it in a test to reproduce a published example.
   */
  protected makeCnonce(): string {
    return randomHex(16);
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    let sent = request;
    let space = this.#spaces.find(request.url);
    // An auth object's Authorization replaces one set by hand (DESIGN), also on a cold request.
    if (space) this.#authorize(sent, space);
    else sent.headers.delete('Authorization');
    let response: AxiosResponse = yield sent;
    // A call answers at most one fresh challenge and one stale one (RFC 7616 §3.3 `stale`: same
    // credentials, new nonce), and never a fresh one after a stale one: the stale retry already
    // used the server's current nonce, so a fresh 401 to it means the credentials are wrong, and
    // answering it could loop. So a fresh 401 (cold or preemptive) then a stale one costs three
    // requests, the most a call sends; a preemptive request that meets a stale 401 and then a
    // fresh one costs two, and that fresh 401 is returned.
    let answered = false;
    let answeredStale = false;
    for (;;) {
      const challengeUrl = responseUrl(response, sent.url);
      if (space && challengeUrl.origin === sent.url.origin) this.#learnNextNonce(response, space);
      if (response.status !== 401) return;
      // The 401 came from another origin after a redirect: credentials stay with the origin
      // the caller named (DESIGN "Bad input"; httpx's redirect rule).
      if (!mayCarryCredentials(request.url, challengeUrl)) return;
      const header = headerValue(response, 'www-authenticate');
      if (header === undefined) return;
      const challenge = chooseChallenge(parseChallenges(header), challengeUrl);
      if (!challenge) return; // no Digest challenge: the 401 is the answer
      if (challenge.stale ? answeredStale : answered || answeredStale) {
        if (space && !challenge.stale) this.#spaces.forget(challengeUrl.origin, space);
        return;
      }
      if (challenge.stale) answeredStale = true;
      else answered = true;
      space = this.#spaces.remember(challengeUrl.origin, challenge);
      // The digest is for the URL that sent the challenge (after redirects), so the retry goes
      // there directly, and `uri` names it. It copies the request last sent, not the caller's:
      // cookies set by each 401 add up over the retries, as in httpx, which changes one request.
      const retry = sent.clone();
      if (challengeUrl.href !== sent.url.href) retry.url = challengeUrl;
      this.#authorize(retry, space);
      addCookies(retry, response);
      sent = retry;
      response = yield retry;
    }
  }

  /**
   * Cold calls to an origin wait for the first one's challenge instead of each paying a 401:
   * the first call runs at once; the others start when its first response has been handled
   * (then they find the challenge remembered), or when it ends, however it ends.
   */
  override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    const origin = request.url.origin;
    let release: (() => void) | undefined;
    if (!this.#spaces.find(request.url)) {
      const first = this.#firstCalls.get(origin);
      if (first) {
        await waitUnlessCancelled(first, request);
      } else {
        const done = new Promise<void>((resolve) => {
          release = () => {
            if (this.#firstCalls.get(origin) === done) this.#firstCalls.delete(origin);
            resolve();
          };
        });
        this.#firstCalls.set(origin, done);
      }
    }
    const flow = this.authFlow(request);
    try {
      let step = flow.next();
      while (!step.done) {
        const response: AxiosResponse = yield step.value;
        step = flow.next(response);
        release?.();
        release = undefined;
      }
    } finally {
      release?.();
      flow.return(undefined);
    }
  }

  /** Sets the Authorization header that answers `space`'s challenge for this request. */
  #authorize(request: AuthRequest, space: ProtectionSpace): void {
    const { nonce, nc } = space.nextCount();
    const { challenge } = space;
    let secret = this.#credentialsHashes.get(challenge);
    if (secret === undefined) {
      secret = credentialsHash({ username: this.username, password: this.#password, challenge });
      this.#credentialsHashes.set(challenge, secret);
    }
    const input: DigestInput = {
      username: this.username,
      password: this.#password,
      challenge,
      credentialsHash: secret,
      nonce,
      method: request.method,
      // The target as written on the request line, which the server compares `uri` with;
      // `url.pathname + url.search` can differ from it (see `AuthRequest.target`).
      uri: request.target,
      nc,
      cnonce: this.makeCnonce(),
      body: () => request.content,
    };
    request.headers.set('Authorization', digestAuthorization(input));
  }

  /** RFC 7616 §3.5: `Authentication-Info: nextnonce` is the nonce for the next request. */
  #learnNextNonce(response: AxiosResponse, space: ProtectionSpace): void {
    const info = headerValue(response, 'authentication-info');
    if (info === undefined) return;
    let nextnonce: string | undefined;
    try {
      nextnonce = parseAuthParams(info).get('nextnonce');
    } catch (error) {
      // The response is already the answer: an unreadable hint only costs a later round trip.
      if (error instanceof ChallengeParseError) return;
      throw error;
    }
    if (nextnonce) space.useNonce(nextnonce);
  }

  override [inspectSymbol](): string {
    return `DigestAuth { username: ${JSON.stringify(this.username)}, password: '${REDACTED}' }`;
  }

  override toJSON(): Record<string, unknown> {
    return { type: 'DigestAuth', username: this.username, password: REDACTED };
  }
}

/**
 * The `Authorization` value for one request (RFC 7616 §3.4), written next to the RFC.
 * Pure and synchronous: the nonce count and cnonce come in with the input.
 */
export function digestAuthorization(input: DigestInput): string {
  const { challenge, nonce, method, uri, cnonce } = input;
  const { algorithm, qop } = challenge;
  const H = algorithm.hex;
  const KD = (secret: string, data: string): string => H(`${secret}:${data}`);
  const realm = wireBinary(challenge.realm);
  const nonceBytes = wireBinary(nonce);
  const nc = input.nc.toString(16).padStart(8, '0');

  // §3.4.2: A1 = username ":" realm ":" passwd; the -sess forms hash that, then append nonce
  // and cnonce: A1 = H(username ":" realm ":" passwd) ":" nonce ":" cnonce.
  const userRealmPassword = input.credentialsHash ?? credentialsHash(input);
  const HA1 = algorithm.session
    ? H(`${userRealmPassword}:${nonceBytes}:${cnonce}`)
    : userRealmPassword;

  // §3.4.3: A2 = Method ":" request-uri; qop=auth-int appends the hash of the body.
  let A2 = `${method}:${uri}`;
  if (qop === 'auth-int') A2 += `:${H(bytesToBinary(input.body()))}`;
  const HA2 = H(A2);

  // §3.4.1 with qop; RFC 2069 §2.1.2 without: response = KD(HA1, nonce ":" HA2).
  const response = qop
    ? KD(HA1, `${nonceBytes}:${nc}:${cnonce}:${qop}:${HA2}`)
    : KD(HA1, `${nonceBytes}:${HA2}`);

  const fields: string[] = [];
  // §3.4.4: userhash sends H(username ":" realm); a name that cannot go in a quoted-string
  // as it is (non-ASCII, control characters) goes as `username*` (RFC 8187 ext-value).
  if (challenge.userhash) fields.push(`username="${H(`${utf8Binary(input.username)}:${realm}`)}"`);
  else if (isQuotable(input.username)) fields.push(`username=${quote(input.username)}`);
  else fields.push(`username*=UTF-8''${extValue(input.username)}`);
  fields.push(`realm=${quote(challenge.realm)}`, `uri=${quote(uri)}`);
  if (challenge.algorithmNamed) fields.push(`algorithm=${algorithm.name}`);
  fields.push(`nonce=${quote(nonce)}`);
  if (qop) {
    fields.push(`nc=${nc}`, `cnonce=${quote(cnonce)}`, `qop=${qop}`);
  } else if (algorithm.session) {
    // RFC 2617 forbids cnonce without qop, yet a -sess A1 needs it: the server cannot check
    // the response without it, so it is sent.
    fields.push(`cnonce=${quote(cnonce)}`);
  }
  fields.push(`response="${response}"`);
  if (challenge.opaque !== undefined) fields.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.userhash) fields.push('userhash=true');
  return `Digest ${fields.join(', ')}`;
}

/** H(username ":" realm ":" passwd) for a challenge: the part of A1 that never changes. */
export function credentialsHash(
  input: Pick<DigestInput, 'username' | 'password' | 'challenge'>,
): string {
  const { username, password, challenge } = input;
  return challenge.algorithm.hex(
    `${utf8Binary(username)}:${wireBinary(challenge.realm)}:${utf8Binary(password)}`,
  );
}

/**
 * The Digest challenges of a 401, in order: the first one that can be answered wins. When none
 * can, the first one's problem is reported; when there is no Digest challenge, undefined.
 */
export function chooseChallenge(
  challenges: readonly Challenge[],
  from: URL,
): DigestChallenge | undefined {
  let problem: DigestAuthError | undefined;
  for (const challenge of challenges) {
    if (challenge.scheme !== 'digest') continue;
    const read = readDigestChallenge(challenge, from);
    if (!(read instanceof DigestAuthError)) return read;
    problem ??= read;
  }
  if (problem) throw problem;
  return undefined;
}

/** A Digest challenge's parameters, checked (RFC 7616 §3.3). */
function readDigestChallenge(challenge: Challenge, from: URL): DigestChallenge | DigestAuthError {
  const { params } = challenge;
  const realm = params.get('realm');
  if (realm === undefined) {
    return new DigestAuthError(
      'the server sent a Digest challenge without a realm, which RFC 7616 requires',
      'missing-realm',
    );
  }
  const nonce = params.get('nonce');
  if (nonce === undefined || nonce === '') {
    return new DigestAuthError(
      'the server sent a Digest challenge without a nonce, which RFC 7616 requires',
      'missing-nonce',
    );
  }
  const named = params.get('algorithm');
  // An absent algorithm means MD5 (RFC 7616 §3.3); names are case-insensitive.
  const algorithm = ALGORITHMS.get((named ?? 'MD5').toUpperCase());
  if (!algorithm) {
    return new DigestAuthError(
      `the server asked for Digest algorithm ${shown(named)}, which is not supported ` +
        `(supported: ${SUPPORTED})`,
      'unsupported-algorithm',
    );
  }
  let qop: DigestChallenge['qop'];
  const offered = params.get('qop');
  if (offered !== undefined) {
    // A list: `auth` is preferred, as curl and browsers do: a server offering both accepts
    // either, and `auth-int` only adds the body's hash (RFC 7616 §3.4.3).
    const options = offered.split(',').map((option) => option.trim().toLowerCase());
    if (options.includes('auth')) qop = 'auth';
    else if (options.includes('auth-int')) qop = 'auth-int';
    else {
      return new DigestAuthError(
        `the server asked for Digest qop ${shown(offered)}, which is not supported ` +
          '(supported: auth, auth-int)',
        'unsupported-qop',
      );
    }
  }
  return Object.freeze({
    realm,
    nonce,
    algorithm,
    algorithmNamed: named !== undefined,
    qop,
    opaque: params.get('opaque'),
    userhash: params.get('userhash')?.toLowerCase() === 'true',
    stale: params.get('stale')?.toLowerCase() === 'true',
    domain: Object.freeze(readDomain(params.get('domain'), from)),
  });
}

/** RFC 7616 §3.3 `domain`: space-separated URIs, absolute or relative to the challenger. */
function readDomain(value: string | undefined, from: URL): URL[] {
  if (!value) return [];
  const urls: URL[] = [];
  for (const part of value.split(/[ \t]+/)) {
    if (part === '') continue;
    try {
      urls.push(new URL(part, from));
    } catch {
      // An unparsable entry only narrows where the challenge is reused; it is skipped.
    }
  }
  return urls;
}

/**
 * The protection spaces of one `DigestAuth`: per origin, the remembered challenges by realm.
 * A request uses the space whose `domain` covers its URL, else the origin's most recent space
 * without a `domain` (RFC 7616 §3.3: no domain means the whole origin); a URL outside every
 * known domain starts cold rather than send another realm's credentials.
 */
class ProtectionSpaces {
  /** Origins are few; the cap only bounds memory for a client that visits many hosts. */
  static readonly MAX_ORIGINS = 256;
  readonly #byOrigin = new Map<string, ProtectionSpace[]>();

  find(url: URL): ProtectionSpace | undefined {
    const spaces = this.#byOrigin.get(url.origin);
    if (!spaces) return undefined;
    const covering = spaces.find((space) =>
      space.challenge.domain.some(
        (domain) => domain.origin === url.origin && url.pathname.startsWith(domain.pathname),
      ),
    );
    if (covering) return covering;
    for (let i = spaces.length - 1; i >= 0; i--) {
      const space = spaces[i];
      if (space && space.challenge.domain.length === 0) return space;
    }
    return undefined;
  }

  remember(origin: string, challenge: DigestChallenge): ProtectionSpace {
    let spaces = this.#byOrigin.get(origin);
    if (!spaces) {
      if (this.#byOrigin.size >= ProtectionSpaces.MAX_ORIGINS) {
        const oldest = this.#byOrigin.keys().next();
        if (!oldest.done) this.#byOrigin.delete(oldest.value);
      }
      spaces = [];
      this.#byOrigin.set(origin, spaces);
    }
    const index = spaces.findIndex((space) => space.challenge.realm === challenge.realm);
    const space = index >= 0 ? spaces.splice(index, 1)[0] : undefined;
    const updated = space ?? new ProtectionSpace(challenge);
    updated.update(challenge);
    spaces.push(updated); // most recent last
    return updated;
  }

  forget(origin: string, space: ProtectionSpace): void {
    const spaces = this.#byOrigin.get(origin);
    if (!spaces) return;
    const index = spaces.indexOf(space);
    if (index >= 0) spaces.splice(index, 1);
    if (spaces.length === 0) this.#byOrigin.delete(origin);
  }
}

/** One origin+realm: its current challenge and a nonce count per nonce. */
class ProtectionSpace {
  /** Older nonces keep their counter for a while, so a late response cannot rewind one. */
  static readonly NONCES_KEPT = 32;
  static readonly MAX_COUNT = 0xffffffff; // nc is 8 hex digits
  challenge: DigestChallenge;
  /** The nonce in use and its last count: the hot path touches only these two fields. */
  #nonce: string;
  #count = 0;
  /** Counts of nonces used before, least recently used first. */
  readonly #earlier = new Map<string, number>();

  constructor(challenge: DigestChallenge) {
    this.challenge = challenge;
    this.#nonce = challenge.nonce;
  }

  update(challenge: DigestChallenge): void {
    this.challenge = challenge;
    this.useNonce(challenge.nonce);
  }

  useNonce(nonce: string): void {
    if (nonce === this.#nonce) return;
    // The outgoing nonce keeps its count; one seen before resumes where it was.
    this.#earlier.set(this.#nonce, this.#count);
    if (this.#earlier.size > ProtectionSpace.NONCES_KEPT) {
      const oldest = this.#earlier.keys().next();
      if (!oldest.done) this.#earlier.delete(oldest.value);
    }
    this.#count = this.#earlier.get(nonce) ?? 0;
    this.#earlier.delete(nonce);
    this.#nonce = nonce;
  }

  /**
   * The nonce and the next nonce count for it, taken in one synchronous step: no two requests
   * can get the same count for a nonce (RFC 7616 §3.4: the server may reject a repeated nc).
   */
  nextCount(): { nonce: string; nc: number } {
    // Four billion requests on one nonce: counting on would repeat; answer the last count and
    // let the server's 401 bring a fresh nonce.
    if (this.#count < ProtectionSpace.MAX_COUNT) this.#count += 1;
    return { nonce: this.#nonce, nc: this.#count };
  }
}

/** A response header by name, whatever the case and whether axios gives a string or a list. */
function headerValue(response: AxiosResponse, name: string): string | string[] | undefined {
  const headers = response.headers as Record<string, unknown> & { get?: unknown };
  let value: unknown;
  if (typeof headers.get === 'function') {
    value = (headers.get as (header: string) => unknown).call(headers, name);
  } else {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) value = headers[key];
    }
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/**
 * Cookies set on the 401 go along with the retry, as httpx does; they are merged into a Cookie
 * header the caller set (a cookie of the same name is replaced). A browser sets and sends
 * cookies itself and hides Set-Cookie, so there this finds nothing to do.
 */
function addCookies(request: AuthRequest, response: AxiosResponse): void {
  const setCookie = headerValue(response, 'set-cookie');
  if (setCookie === undefined) return;
  const cookies = new Map<string, string>();
  const existing = request.headers.get('Cookie');
  if (typeof existing === 'string') {
    for (const pair of existing.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  const path = request.url.pathname;
  let changed = false;
  for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let expired = false;
    let applies = true;
    for (const attribute of attributes) {
      const [key = '', value = ''] = attribute.split('=', 2).map((part) => part.trim());
      const lower = key.toLowerCase();
      if (lower === 'max-age' && Number(value) <= 0) expired = true;
      if (lower === 'expires' && Date.parse(value) <= Date.now()) expired = true;
      if (lower === 'path' && value.startsWith('/') && !pathMatches(path, value)) applies = false;
    }
    if (!applies) continue;
    changed = true;
    if (expired) cookies.delete(name);
    else cookies.set(name, pair.slice(eq + 1).trim());
  }
  if (!changed) return;
  if (cookies.size === 0) request.headers.delete('Cookie');
  else request.headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Waits for `first`, but not past the caller's abort or timeout (the driver then reports it). */
/**
 * How long a cold call waits for the first call to its origin before going on alone. The first
 * call may be slow for reasons of its own (a long poll, a download, a resource that needs no
 * auth at all): past this, a waiting call pays its own 401 rather than stall behind it.
 */
export const FIRST_CALL_WAIT_MS = 1000;

async function waitUnlessCancelled(first: Promise<void>, request: AuthRequest): Promise<void> {
  const { signal, cancelToken, timeout } = request.config;
  const cleanups: (() => void)[] = [];
  const stops: Promise<unknown>[] = [first];
  let bound: ReturnType<typeof setTimeout> | undefined;
  stops.push(new Promise<void>((resolve) => (bound = setTimeout(resolve, FIRST_CALL_WAIT_MS))));
  cleanups.push(() => clearTimeout(bound));
  if (signal?.addEventListener) {
    if (signal.aborted) return;
    stops.push(
      new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal.addEventListener?.('abort', onAbort);
        cleanups.push(() => signal.removeEventListener?.('abort', onAbort));
      }),
    );
  }
  if (cancelToken) stops.push(cancelToken.promise);
  if (timeout) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    stops.push(new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout))));
    cleanups.push(() => clearTimeout(timer));
  }
  try {
    await Promise.race(stops);
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/** A value for a quoted-string: `"` and `\` escaped (RFC 9110 §5.6.4). */
function quote(value: string): string {
  // Most values hold neither character: skip the regex on every request for them.
  if (!value.includes('"') && !value.includes('\\')) return `"${value}"`;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** Whether a user name can go in a quoted-string as it is: printable ASCII (and tab) only. */
function isQuotable(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value);
}

/** RFC 8187 §3.2.1 value-chars: attr-char kept, everything else percent-encoded as UTF-8. */
function extValue(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Text as a binary string of its UTF-8 bytes (one character per byte). */
function utf8Binary(text: string): string {
  return bytesToBinary(utf8Encoder.encode(text));
}

/**
 * A header value as a binary string of the bytes on the wire. Node and fetch give header values
 * one character per byte; a character above U+00FF cannot have come off the wire (a mock
 * adapter), and is taken as text and sent as UTF-8.
 */
function wireBinary(value: string): string {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0xff) return utf8Binary(value);
  }
  return value;
}

function toBytes(binaryString: string): Uint8Array {
  const bytes = new Uint8Array(binaryString.length);
  for (let i = 0; i < binaryString.length; i++) bytes[i] = binaryString.charCodeAt(i);
  return bytes;
}

/** A server-sent value for an error message: quoted, and cut short (it may be huge). */
function shown(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
