/**
 * Header helpers shared by the driver and the schemes: reading a response header whatever shape
 * the adapter gave the headers in, and the check that keeps a value from splitting a header line.
 */
import type { AxiosHeaders, AxiosResponse } from 'axios';

/** What `AxiosHeaders.from` and its constructor accept (the class is a value only in axios's CJS typings). */
export type HeaderBag = Parameters<typeof AxiosHeaders.from>[0];

/** A response header by name, whatever the case and whether axios gives a string or a list. */
export function headerValue(response: AxiosResponse, name: string): string | string[] | undefined {
  // A mock adapter's reply may come with no headers at all.
  const headers = (response.headers ?? {}) as Record<string, unknown> & { get?: unknown };
  let value: unknown;
  if (typeof headers.get === 'function') {
    value = (headers.get as (header: string) => unknown).call(headers, name);
  } else {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) value = headers[key];
    }
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/** Characters that would split or truncate a header line if they reached one. */
export function hasHeaderBreakingCharacter(value: string): boolean {
  return /[\r\n\0]/.test(value);
}
