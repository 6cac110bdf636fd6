/**
 * The `(username, password)` or `{ username, password }` arguments shared by BasicAuth and
 * DigestAuth, checked once when the auth object is made so that nothing with a bad header is
 * ever sent. Messages name the problem, never the value.
 */
import { hasHeaderBreakingCharacter } from '../http/headers.js';

export interface Credentials {
  username: string;
  password: string;
}

export type CredentialsArgs = [username: string, password: string] | [credentials: Credentials];

export function readCredentials(scheme: string, args: readonly unknown[]): Credentials {
  const [first, second] = args;
  let username: unknown;
  let password: unknown;
  if (typeof first === 'object' && first !== null && args.length === 1) {
    ({ username, password } = first as Partial<Credentials>);
  } else {
    username = first;
    password = second;
  }
  if (typeof username !== 'string') {
    throw new TypeError(`${scheme}: the username must be a string`);
  }
  if (typeof password !== 'string') {
    throw new TypeError(`${scheme}: the password must be a string`);
  }
  if (hasHeaderBreakingCharacter(username)) {
    throw new TypeError(`${scheme}: the username contains CR, LF or NUL, which cannot be sent`);
  }
  if (hasHeaderBreakingCharacter(password)) {
    throw new TypeError(`${scheme}: the password contains CR, LF or NUL, which cannot be sent`);
  }
  return { username, password };
}

/**
 * Whether Basic can carry this user name. RFC 7617 §2: the user-id cannot contain a colon; the
 * server would split it wrongly. Shared by BasicAuth and NetRCAuth, so the two cannot disagree.
 */
export function basicCanCarry(username: string): boolean {
  return !username.includes(':');
}
