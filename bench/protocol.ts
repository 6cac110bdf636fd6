/**
 * What the bench server and the bench client agree on: which paths ask for which scheme, the
 * Digest challenge the server sends, and the control path that reports the exchange count.
 *
 * The Digest values are fixed, so that the hand-written floor (`variants.ts`) can know the nonce
 * in advance, as a user who hard-codes a server's challenge would.
 */

export const DIGEST = {
  realm: 'bench@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  qop: 'auth',
  algorithm: 'MD5',
} as const;

export const DIGEST_CHALLENGE =
  `Digest realm="${DIGEST.realm}", qop="${DIGEST.qop}", algorithm=${DIGEST.algorithm}, ` +
  `nonce="${DIGEST.nonce}", opaque="${DIGEST.opaque}"`;

/**
 * The scheme a path asks for: a request to `/digest…` without a `Digest` Authorization gets a
 * 401 with the challenge, and so on. Any other path answers 200 to anything.
 */
export const PROTECTED: readonly { prefix: string; scheme: string; challenge: string }[] = [
  { prefix: '/digest', scheme: 'Digest', challenge: DIGEST_CHALLENGE },
  { prefix: '/basic', scheme: 'Basic', challenge: 'Basic realm="bench"' },
  { prefix: '/bearer', scheme: 'Bearer', challenge: 'Bearer realm="bench"' },
];

/** GET this path for the number of exchanges the server has answered (it is not counted). */
export const EXCHANGES_PATH = '/__exchanges';

/** The body of every 200, the same for every variant. */
export const OK_BODY = '{"ok":true}';
