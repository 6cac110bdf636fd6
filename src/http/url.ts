/**
 * URL rules of axios that axios does not export, shared by the driver and `AuthRequest`, so the
 * URL a flow sees is the one the adapter sends.
 */

/** Whether `href` starts with a scheme (`https:`, `mailto:`): `new URL` can parse it alone. */
export function hasScheme(href: string): boolean {
  return /^[a-z][a-z\d+.-]*:/i.test(href);
}

/** axios's `isAbsoluteURL`: a scheme followed by `//`, or a protocol-relative `//`. */
export function isAbsoluteUrl(url: string | undefined): boolean {
  return typeof url === 'string' && /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
}

/**
 * axios's `buildFullPath`: a relative `url` (or any, when `allowAbsoluteUrls` is false) joined
 * to `baseURL` with exactly one slash between them.
 */
export function fullPath(config: {
  url?: string | undefined;
  baseURL?: string | undefined;
  allowAbsoluteUrls?: boolean | undefined;
}): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (!base || (isAbsoluteUrl(url) && config.allowAbsoluteUrls !== false)) return url;
  return url ? `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : base;
}
