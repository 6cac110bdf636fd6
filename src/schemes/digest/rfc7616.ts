/**
 * The arithmetic of RFC 7616 §3.4, written next to the RFC: A1, HA1, A2, HA2, the response, and
 * the Authorization header's fields. Pure and synchronous: the nonce count and cnonce come in
 * with the input, so it is tested against the RFC's published examples with no transport.
 *
 * Bytes. User names and passwords are hashed as UTF-8 (RFC 7616 §3.4.4 `charset=UTF-8`; what
 * httpx, curl and browsers send). Values from the challenge (realm, nonce) are hashed as the
 * bytes the server sent: Node and fetch give header values as byte strings (one character per
 * byte), so such a string is hashed byte for byte.
 *
 * A non-ASCII user name on the wire (RFC 7616 §3.4.4) depends on what the server said:
 * - `charset=UTF-8` in the challenge (lighttpd): `username*=UTF-8''j%C3%BCrgen`, the RFC 8187
 *   ext-value the RFC asks for;
 * - no charset (Apache httpd 2.4's mod_auth_digest, and RFC 2617-era servers): the raw UTF-8
 *   bytes in `username="jürgen"`, which is what curl and browsers send. httpd knows no
 *   `username*`: it compares the quoted value's bytes with the name in its user file, and
 *   refuses the request with "no username" (tested against both servers in the interop suite).
 * The raw bytes are written as a binary string (one character per byte, 0x80–0xFF): Node's http
 * client writes such a header value byte for byte (latin1), and fetch's ByteString conversion
 * does the same; a character above U+00FF would be refused there.
 * A user name with a control character cannot go in a quoted-string at all, so it goes as
 * `username*` whatever the charset.
 */
import { bytesToBinary, utf8Encoder } from '../../util/encoding.js';
import type { DigestChallenge } from './challenge.js';
import { isAscii } from './hashes.js';

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
 * The `Authorization` value for one request (RFC 7616 §3.4), written next to the RFC.
 * Pure and synchronous: the nonce count and cnonce come in with the input.
 */
export function digestAuthorization(input: DigestInput): string {
  const { challenge, nonce, method, uri, cnonce } = input;
  const { algorithm, qop } = challenge;
  const H = algorithm.hex;
  const { bytes: nonceBytes, ascii: nonceAscii, field: nonceField } = nonceParts(nonce);
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

  // §3.4.1 with qop; RFC 2069 §2.1.2 without: response = KD(HA1, nonce ":" HA2), where
  // KD(secret, data) = H(secret ":" data). Hex digests, nc and qop are ASCII: with an ASCII
  // nonce and cnonce (as servers send and `makeCnonce` makes), so is the whole input.
  const KD = nonceAscii && isAscii(cnonce) ? algorithm.asciiHex : H;
  const response = qop
    ? KD(`${HA1}:${nonceBytes}:${nc}:${cnonce}:${qop}:${HA2}`)
    : KD(`${HA1}:${nonceBytes}:${HA2}`);

  // Values are echoed as the bytes that were hashed (see `wireBinary`), so a header never holds
  // a character it cannot carry.
  const fixed = fixedFields(input.username, challenge);
  let header = `Digest ${fixed.head}, uri=${quote(uri)}`;
  if (challenge.algorithmNamed) header += `, algorithm=${algorithm.name}`;
  header += nonceField;
  if (qop) {
    header += `, nc=${nc}, cnonce=${quote(cnonce)}, qop=${qop}`;
  } else if (algorithm.session) {
    // RFC 2617 forbids cnonce without qop, yet a -sess A1 needs it: the server cannot check
    // the response without it, so it is sent.
    header += `, cnonce=${quote(cnonce)}`;
  }
  return `${header}, response="${response}"${fixed.tail}`;
}

/** A nonce as hashed (its wire bytes) and as echoed (`, nonce="…"`), worked out once per nonce. */
interface NonceParts {
  readonly nonce: string;
  readonly bytes: string;
  readonly ascii: boolean;
  readonly field: string;
}

/** The nonce of the last header: a warm client answers the same nonce call after call. */
let lastNonce: NonceParts | undefined;

function nonceParts(nonce: string): NonceParts {
  if (lastNonce?.nonce === nonce) return lastNonce;
  const bytes = wireBinary(nonce);
  return (lastNonce = {
    nonce,
    bytes,
    ascii: isAscii(bytes),
    field: `, nonce=${quote(bytes)}`,
  });
}

/** The fields that are the same on every request answering one challenge, for one user. */
interface FixedFields {
  readonly username: string;
  /** `username=…, realm=…`: they open the header. */
  readonly head: string;
  /** `, opaque=…` and `, userhash=true`, when the challenge has them: they close it. */
  readonly tail: string;
}

/** Per challenge record, built on its first request: a warm call only adds what changes. */
const fixedByChallenge = new WeakMap<DigestChallenge, FixedFields>();

function fixedFields(username: string, challenge: DigestChallenge): FixedFields {
  const known = fixedByChallenge.get(challenge);
  if (known?.username === username) return known;
  const realm = wireBinary(challenge.realm);
  let tail = '';
  if (challenge.opaque !== undefined) tail += `, opaque=${quote(wireBinary(challenge.opaque))}`;
  if (challenge.userhash) tail += ', userhash=true';
  const fixed = {
    username,
    head: `${usernameField(username, challenge, realm)}, realm=${quote(realm)}`,
    tail,
  };
  fixedByChallenge.set(challenge, fixed);
  return fixed;
}

/**
 * The field that names the user (RFC 7616 §3.4.4): hashed for `userhash`; else quoted when it is
 * printable ASCII; else `username*` where the server reads it (`charset=UTF-8`) or where a
 * control character leaves no other way; else the raw UTF-8 bytes quoted (see the module note).
 */
function usernameField(username: string, challenge: DigestChallenge, realm: string): string {
  if (challenge.userhash) {
    return `username="${challenge.algorithm.hex(`${utf8Binary(username)}:${realm}`)}"`;
  }
  if (isQuotable(username)) return `username=${quote(username)}`;
  if (challenge.charsetUtf8 || hasControl(username)) {
    return `username*=UTF-8''${extValue(username)}`;
  }
  return `username=${quote(utf8Binary(username))}`;
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

/** Whether text holds a CTL (RFC 5234), which no quoted-string may carry, HTAB excepted. */
function hasControl(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- the control characters are what it looks for
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(value);
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
