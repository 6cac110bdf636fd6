/**
 * Reading a Digest challenge (RFC 7616 §3.3) out of the parsed `WWW-Authenticate` challenges:
 * which one to answer, and its parameters checked into an immutable record. A challenge that
 * cannot be answered becomes a `DigestAuthError` naming the problem, never the server's value
 * in full.
 *
 * Bounds. What a server sends here is echoed on every later request (realm, nonce, opaque) or
 * searched on every request (`domain`), so its size is bounded: a value the answer would echo
 * longer than `MAX_PARAM_LENGTH` makes the challenge a `DigestAuthError` with code 'too-large'
 * (deployed servers send tens of bytes; a 10 MB realm would otherwise come back as a 10 MB
 * header on every call), and a `domain` list longer than `MAX_DOMAIN_LENGTH` characters or
 * `MAX_DOMAIN_URIS` URIs is ignored, so the space covers the whole origin, as RFC 7616 §3.3 says
 * of a challenge without `domain`. Ignoring rather than refusing keeps such a server usable, and
 * rather than truncating, keeps URLs named past the cut from paying a fresh 401 on every call.
 */
import type { Challenge } from '../../http/challenge.js';
import { DigestAuthError } from '../../errors.js';
import { ALGORITHMS, SUPPORTED, type DigestAlgorithm } from './hashes.js';

/** The longest realm, nonce, opaque, qop or algorithm answered; longer is 'too-large'. */
export const MAX_PARAM_LENGTH = 4096;
/** The longest `domain` value read; a longer one is ignored (the whole origin). */
export const MAX_DOMAIN_LENGTH = 4096;
/** The most URIs a `domain` list may name; more are ignored (the whole origin). */
export const MAX_DOMAIN_URIS = 32;

/** The parameters that go back in the answer or are read into the record. */
const BOUNDED_PARAMS = ['realm', 'nonce', 'opaque', 'qop', 'algorithm'] as const;

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
  /**
   * RFC 7616 §3.3 `charset=UTF-8`: the server reads `username*` (RFC 8187). Without it (Apache
   * httpd 2.4), a non-ASCII user name goes as its raw UTF-8 bytes (see `rfc7616.ts`).
   */
  readonly charsetUtf8: boolean;
  readonly stale: boolean;
  /**
   * RFC 7616 §3.3 `domain`: the path prefixes, on the challenger's origin, that the protection
   * space covers; empty when the space is the whole origin. Entries on other origins are left
   * out: a challenge is never answered on another origin (DESIGN "Digest").
   */
  readonly domain: readonly string[];
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
  for (const name of BOUNDED_PARAMS) {
    const value = params.get(name);
    if (value !== undefined && value.length > MAX_PARAM_LENGTH) {
      return new DigestAuthError(
        `the server sent a Digest challenge whose ${name} is ${value.length} characters long; ` +
          `more than ${MAX_PARAM_LENGTH} is refused rather than echoed on every request`,
        'too-large',
      );
    }
  }
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
    charsetUtf8: params.get('charset')?.toLowerCase() === 'utf-8',
    stale: params.get('stale')?.toLowerCase() === 'true',
    domain: Object.freeze(readDomain(params.get('domain'), from)),
  });
}

/**
 * RFC 7616 §3.3 `domain`: space-separated URIs, absolute or relative to the challenger, as the
 * path prefixes on `from`'s origin that they name. Too long a list counts as none (see the
 * module's note on bounds); so does a list whose every entry is unusable, since an empty list
 * is how the record says "the whole origin", and a space that covers no URL here would never
 * be used.
 */
export function readDomain(value: string | undefined, from: URL): string[] {
  if (!value || value.length > MAX_DOMAIN_LENGTH) return [];
  const parts = value.split(/[ \t]+/).filter((part) => part !== '');
  if (parts.length > MAX_DOMAIN_URIS) return [];
  const paths = new Set<string>();
  for (const part of parts) {
    let url: URL;
    try {
      url = new URL(part, from);
    } catch {
      continue; // an unparsable entry only narrows where the challenge is reused
    }
    // An entry on another origin is dropped: a challenge is never answered there.
    if (url.origin === from.origin) paths.add(url.pathname);
  }
  return [...paths];
}

/** A server-sent value for an error message: quoted, and cut short (it may be huge). */
function shown(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
