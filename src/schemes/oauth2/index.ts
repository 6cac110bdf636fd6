/**
 * OAuth 2.0 token auth: the auth class, its options, the token record and the store it saves to.
 * `oauth2-auth.ts` is the flow; `token-holder.ts` the single flight of refreshes;
 * `token-request.ts` the grant and client authentication; `token.ts` the strict answer reading;
 * `bearer-challenge.ts` what a resource server's 401 or 403 says.
 */
export { OAuth2Auth, type OAuth2AuthOptions } from './oauth2-auth.js';
export type { OAuth2Token } from './token.js';
export type { OAuth2TokenStore } from './token-holder.js';
export type { ClientAuthentication } from './token-request.js';
