/**
 * What a value is, for an error message: its kind or class, never its content (a value that
 * reached the wrong place may be a secret).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') {
    const name: unknown = value.constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'an object of an anonymous class';
  }
  if (typeof value === 'function') return 'a function';
  return typeof value;
}
