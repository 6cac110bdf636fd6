/**
 * axios-auth-flow: httpx's authentication model for axios.
 *
 * `withAuth(instance)` installs the driver; `auth` then takes a `[username, password]` pair,
 * `{ username, password }`, a function, or an `Auth`: `BasicAuth`, `DigestAuth`, `NetRCAuth`,
 * or your own subclass with a generator `authFlow`.
 */
export { withAuth, type WithAuthOptions } from './driver/install.js';
export {
  Auth,
  FunctionAuth,
  type AuthFlow,
  type AsyncAuthFlow,
  type AuthFunction,
  type FlowRequest,
} from './auth.js';
export { AuthRequest } from './request.js';
export { BasicAuth } from './schemes/basic.js';
export { DigestAuth, type DigestAuthOptions } from './schemes/digest/digest-auth.js';
export { parseChallenges, type Challenge } from './http/challenge.js';
export { NetRCAuth, type NetRCAuthOptions } from './schemes/netrc/netrc-auth.js';
export { BearerAuth, type BearerToken } from './schemes/bearer.js';
export {
  OAuth2Auth,
  type ClientAuthentication,
  type OAuth2AuthOptions,
  type OAuth2Token,
  type OAuth2TokenStore,
} from './schemes/oauth2/index.js';
export {
  AxiosAuthFlowError,
  AuthFlowError,
  ChallengeParseError,
  DigestAuthError,
  NetrcError,
  NetrcParseError,
  OAuth2Error,
  type DigestAuthErrorCode,
  type OAuth2ErrorDetails,
} from './errors.js';
export type { AuthOption } from './auth-option.js';
export { redactError } from './util/redaction.js';
export {
  isAuthAxiosError,
  type AuthAxiosError,
  type AuthAxiosInstance,
  type AuthAxiosResponse,
  type AuthCalls,
  type AuthCreateConfig,
  type AuthDefaults,
  type AuthRequestConfig,
  type WithAuth,
} from './types.js';
