/**
 * axios-auth-flow: httpx's authentication model for axios.
 *
 * `withAuth(instance)` installs the driver; `auth` then takes a `[username, password]` pair,
 * `{ username, password }`, a function, or an `Auth`: `BasicAuth`, `DigestAuth`, `NetRCAuth`,
 * or your own subclass with a generator `authFlow`.
 */
import './augment.js';

export { withAuth, type WithAuthOptions } from './driver.js';
export {
  Auth,
  FunctionAuth,
  type AuthFlow,
  type AsyncAuthFlow,
  type AuthFunction,
  type FlowRequest,
} from './auth.js';
export { AuthRequest } from './request.js';
export { BasicAuth } from './basic.js';
export {
  DigestAuth,
  DigestAuthError,
  type DigestAuthErrorCode,
  type DigestChallenge,
} from './digest.js';
export { ChallengeParseError, parseChallenges, type Challenge } from './challenge.js';
export { NetRCAuth, type NetRCAuthOptions } from './netrc.js';
export { AuthFlowError, NetrcError, NetrcParseError } from './errors.js';
export type { AuthOption } from './auth-option.js';
export type { AuthRequestConfig, AuthCreateConfig } from './augment.js';
