/**
 * Helpers for driving a DigestAuth flow by hand, with no transport: the flow is a plain
 * generator, so a test sends it fake responses with `next()`.
 */
import { AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { AuthRequest, DigestAuth } from '../../src/index';

/** A DigestAuth whose client nonces are fixed: the RFC examples' cnonce, in order. */
export class FixedCnonceDigestAuth extends DigestAuth {
  readonly cnonces: string[];

  constructor(username: string, password: string, ...cnonces: string[]) {
    super(username, password);
    this.cnonces = cnonces;
  }

  protected override makeCnonce(): string {
    const next = this.cnonces.shift();
    if (next === undefined) throw new Error('test ran out of fixed cnonces');
    return next;
  }
}

export function makeRequest(
  url: string,
  method = 'get',
  extra: Partial<InternalAxiosRequestConfig> = {},
): AuthRequest {
  return new AuthRequest({ url, method, headers: new AxiosHeaders(), ...extra });
}

export function fakeResponse(
  status: number,
  headers: Record<string, string | string[]> = {},
  responseUrl?: string,
): AxiosResponse {
  return {
    status,
    statusText: String(status),
    headers: new AxiosHeaders(headers),
    data: '',
    config: { headers: new AxiosHeaders() },
    request: responseUrl ? { res: { responseUrl } } : {},
    history: [],
  };
}

/** The parameters of a Digest Authorization header, parsed independently of src/. */
export function authorizationParams(header: unknown): Record<string, string> {
  expect(typeof header).toBe('string');
  const text = String(header);
  expect(text.startsWith('Digest ')).toBe(true);
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9*_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of text.slice(7).matchAll(re)) {
    params[m[1]!] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return params;
}
