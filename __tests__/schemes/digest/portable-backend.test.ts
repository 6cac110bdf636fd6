/**
 * Digest as a browser runs it: `node:crypto` hidden from the package, so `hashes.ts` falls back
 * to the hand-written hashes. The RFC examples (rfc-vectors.test.ts) and the hand-driven flows
 * (flow.test.ts) run again here unchanged, and the portable functions are checked to have done
 * the hashing.
 */
import * as portable from '../../../src/schemes/digest/portable-hashes';
import { optionalNodeModule } from '../../../src/util/node-builtins';
import { ALGORITHMS } from '../../../src/schemes/digest/hashes';
import './rfc-vectors.test';
import './flow.test';
import './digest.test';

jest.mock('../../../src/util/node-builtins', () => {
  const actual = jest.requireActual<typeof import('../../../src/util/node-builtins')>(
    '../../../src/util/node-builtins',
  );
  return {
    ...actual,
    optionalNodeModule: (name: string) =>
      name === 'node:crypto' ? undefined : actual.optionalNodeModule(name),
  };
});

jest.mock('../../../src/schemes/digest/portable-hashes', () => {
  const actual = jest.requireActual<typeof import('../../../src/schemes/digest/portable-hashes')>(
    '../../../src/schemes/digest/portable-hashes',
  );
  return {
    md5: jest.fn(actual.md5),
    sha1: jest.fn(actual.sha1),
    sha256: jest.fn(actual.sha256),
    sha512: jest.fn(actual.sha512),
    sha512_256: jest.fn(actual.sha512_256),
  };
});

describe('with node:crypto hidden, as in a browser', () => {
  test('the package sees no node:crypto', () => {
    expect(optionalNodeModule('node:crypto')).toBeUndefined();
  });

  test('every algorithm of the table hashes through the portable functions', () => {
    const calls = () =>
      [portable.md5, portable.sha1, portable.sha256, portable.sha512, portable.sha512_256].map(
        (hash) => jest.mocked(hash).mock.calls.length,
      );
    const before = calls();
    for (const name of ['MD5', 'SHA', 'SHA-256', 'SHA-512', 'SHA-512-256']) {
      ALGORITHMS.get(name)!.hex('Mufasa:http-auth@example.org:Circle of Life');
    }
    expect(calls().map((count, i) => count - before[i]!)).toEqual([1, 1, 1, 1, 1]);
  });

  test('a binary string with bytes over 0x7f is hashed as those bytes', () => {
    // 'Jäsøn' in UTF-8, one character per byte, as rfc7616.ts hands it over.
    const binary = Buffer.from('J\u00e4s\u00f8n', 'utf8').toString('latin1');
    expect(ALGORITHMS.get('MD5')!.hex(binary)).toBe(
      jest
        .requireActual<typeof import('node:crypto')>('node:crypto')
        .createHash('md5')
        .update(binary, 'latin1')
        .digest('hex'),
    );
  });

  test('the RFC examples above were computed by the portable functions', () => {
    // rfc-vectors.test.ts and flow.test.ts ran first (imports register their tests first).
    expect(jest.mocked(portable.md5).mock.calls.length).toBeGreaterThan(10);
    expect(jest.mocked(portable.sha256).mock.calls.length).toBeGreaterThan(0);
    expect(jest.mocked(portable.sha512_256).mock.calls.length).toBeGreaterThan(0);
  });
});
