/**
 * A Digest (RFC 7616) protected resource for the browser tests, verified here with Node's
 * `crypto` and its own parsing (nothing from src/): a 200 means the digest that Chromium sent is
 * the one a server computes, body hash included for qop=auth-int.
 *
 *   ANY /digest/:algorithm/:qop/:user/:pass[?nextnonce=1]
 *
 * algorithm is MD5, SHA-256 or SHA-512-256; qop is `auth` or `auth-int`. With `nextnonce=1` a
 * nonce serves one request and each success carries `Authentication-Info: nextnonce`, which a
 * page can only read when the server lists that header in Access-Control-Expose-Headers.
 * Nonces and their counts are kept per verifier, so a replayed count is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Answer, Exchange, Route } from './api-server';

/** RFC 7616 §3.4.1 names, to Node's hash names. */
const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

interface Nonce {
  counts: Set<number>;
  spent: boolean;
}

export function digestRoute(): Route {
  const nonces = new Map<string, Nonce>();

  const challenge = (realm: string, algorithm: string, qop: string, why: string): Answer => {
    const nonce = randomBytes(12).toString('hex');
    nonces.set(nonce, { counts: new Set(), spent: false });
    return {
      status: 401,
      verdict: why,
      headers: {
        'WWW-Authenticate': `Digest realm="${realm}", qop="${qop}", nonce="${nonce}", algorithm=${algorithm}`,
      },
    };
  };

  return ({ method, path, headers, body }: Exchange): Answer | undefined => {
    const url = new URL(path, 'http://127.0.0.1');
    const match = /^\/digest\/([^/]+)\/(auth|auth-int)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!match) return undefined;
    const [, algorithm = '', qop = '', user = '', pass = ''] = match;
    const hashName = HASHES[algorithm];
    if (!hashName) throw new Error(`digest route: unknown algorithm ${algorithm}`);
    const realm = `browser ${algorithm}`;
    const authorization = headers.authorization;
    if (!authorization?.startsWith('Digest '))
      return challenge(realm, algorithm, qop, 'challenged');

    const H = (data: string | Buffer): string => createHash(hashName).update(data).digest('hex');
    const params = parseParams(authorization.slice('Digest '.length));
    const { nonce = '', nc = '', cnonce = '', uri = '' } = params;
    const record = nonces.get(nonce);
    const refusal =
      params.username !== user
        ? 'refused: wrong user'
        : params.realm !== realm ||
            (params.algorithm ?? algorithm) !== algorithm ||
            params.qop !== qop
          ? 'refused: realm, algorithm or qop not echoed'
          : uri !== path
            ? `refused: uri ${uri} is not the request target ${path}`
            : !record || !/^[0-9a-f]{8}$/.test(nc) || cnonce === ''
              ? 'refused: unknown nonce, or no nc or cnonce'
              : record.counts.has(parseInt(nc, 16))
                ? 'refused: nonce count reused'
                : record.spent
                  ? 'refused: nonce already spent'
                  : undefined;
    if (refusal) return challenge(realm, algorithm, qop, refusal);
    record!.counts.add(parseInt(nc, 16));

    // RFC 7616 §3.4.1-3.4.3, with the entity body's hash in A2 for auth-int.
    const HA1 = H(`${user}:${realm}:${pass}`);
    const A2 = qop === 'auth-int' ? `${method}:${uri}:${H(body)}` : `${method}:${uri}`;
    const expected = H(`${HA1}:${nonce}:${nc}:${cnonce}:${qop}:${H(A2)}`);
    if (params.response !== expected)
      return challenge(realm, algorithm, qop, 'refused: wrong response');

    const answer: Answer = { status: 200, verdict: 'accepted', body: { user } };
    if (url.searchParams.get('nextnonce') === '1') {
      record!.spent = true;
      const next = randomBytes(12).toString('hex');
      nonces.set(next, { counts: new Set(), spent: false });
      answer.headers = { 'Authentication-Info': `nextnonce="${next}", qop=${qop}` };
    }
    return answer;
  };
}

/** The parameters of an Authorization value: token or quoted-string values, `\` escapes undone. */
function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9*_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,|$)/g;
  for (const m of text.matchAll(re)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return params;
}
