/**
 * Reading a Digest challenge (RFC 7616 §3.3) out of the parsed `WWW-Authenticate` challenges:
 * which one to answer, and its parameters checked into an immutable record. A challenge that
 * cannot be answered becomes a `DigestAuthError` naming the problem, never the server's value
 * in full.
 */
import type { Challenge } from '../../http/challenge.js';
import { DigestAuthError } from '../../errors.js';
import { ALGORITHMS, SUPPORTED, type DigestAlgorithm } from './hashes.js';

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

/** A server-sent value for an error message: quoted, and cut short (it may be huge). */
function shown(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
