/**
 * The forms the `auth` option takes, as in httpx: a `[username, password]` pair, axios's own
 * `{ username, password }`, an `Auth` instance, or a function. Anything else is a `TypeError`
 * raised before a byte is sent. The message names the forms, never the value (it may be a secret).
 */
import { Auth, FunctionAuth, type AuthFunction } from './auth.js';
import { BasicAuth } from './schemes/basic.js';
import { describeValue } from './util/describe.js';

/** Every value the `auth` option accepts on a client or a request. */
export type AuthOption =
  | Auth
  | AuthFunction
  | readonly [username: string, password: string]
  | { username: string; password: string };

const ACCEPTED =
  'a [username, password] pair, { username, password }, an Auth instance ' +
  '(BasicAuth, DigestAuth, NetRCAuth, BearerAuth, OAuth2Auth or a subclass of Auth), ' +
  'a function (request) => request, or null';

/** The `Auth` an option stands for; `undefined` for `null`/`undefined` (no authentication). */
export function toAuth(option: unknown): Auth | undefined {
  if (option === undefined || option === null) return undefined;
  if (option instanceof Auth) return option;
  if (typeof option === 'function') {
    // The class itself instead of an instance of it (`auth: DigestAuth`): say so, rather than
    // fail later with "Class constructor cannot be invoked without 'new'".
    if ((option as { prototype?: unknown }).prototype instanceof Auth) {
      return invalid(
        `the class ${option.name || '(anonymous)'} itself; pass an instance: new ${option.name || 'MyAuth'}(...)`,
      );
    }
    return new FunctionAuth(option as AuthFunction);
  }
  if (Array.isArray(option)) {
    if (option.length !== 2) return invalid(describeValue(option));
    const [username, password] = option as unknown[];
    if (typeof username !== 'string' || typeof password !== 'string') {
      return invalid(`${describeValue(option)} that is not two strings`);
    }
    return new BasicAuth(username, password);
  }
  if (typeof option === 'object' && 'username' in option) {
    const { username, password } = option as { username: unknown; password: unknown };
    if (typeof username !== 'string') {
      return invalid('{ username, password } whose username is not a string');
    }
    if (typeof password !== 'string') {
      return invalid('{ username, password } whose password is not a string');
    }
    return new BasicAuth(username, password);
  }
  return invalid(describeValue(option));
}

/** Every wrong value gets the same message: the forms accepted, then what it was (never its content). */
function invalid(got: string): never {
  throw new TypeError(`axios-auth-flow: \`auth\` must be ${ACCEPTED}; got ${got}`);
}
