/**
 * Where credentials may go: httpx's redirect rule, shared by the driver (Authorization on
 * redirects the adapter follows) and Digest (a 401 that arrives after a redirect), so that the
 * two can never disagree.
 */

/**
 * Whether credentials meant for `from` may be sent to `to`: the same origin (scheme, host and
 * port), or an upgrade from http to https on the same host with default ports.
 */
export function mayCarryCredentials(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return (
    from.protocol === 'http:' &&
    to.protocol === 'https:' &&
    from.hostname === to.hostname &&
    (from.port === '' || from.port === '80') &&
    (to.port === '' || to.port === '443')
  );
}
