/**
 * The hand-written hashes that Digest uses where Node's `crypto` is not there (a browser): the
 * published vectors (FIPS 180-4's examples as NIST and RFC 6234 list them, RFC 1321's test suite),
 * every length across the block boundaries, random bytes against Node's `crypto`, and the
 * RFC 7616 examples computed with them alone.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { md5, sha1, sha256, sha512, sha512_256 } from '../../../src/schemes/digest/portable-hashes';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

const hashes = [
  { name: 'MD5', portable: md5, node: 'md5' },
  { name: 'SHA-1', portable: sha1, node: 'sha1' },
  { name: 'SHA-256', portable: sha256, node: 'sha256' },
  { name: 'SHA-512', portable: sha512, node: 'sha512' },
  { name: 'SHA-512/256', portable: sha512_256, node: 'sha512-256' },
] as const;

const nodeHex = (algorithm: string, data: Uint8Array): string =>
  createHash(algorithm).update(data).digest('hex');

/** The messages of the NIST examples: one block, two blocks of SHA-256, two of SHA-512. */
const messages = {
  empty: '',
  abc: 'abc',
  '448 bits': 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
  '896 bits':
    'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
};

const published: Record<(typeof hashes)[number]['name'], Record<keyof typeof messages, string>> = {
  MD5: {
    empty: 'd41d8cd98f00b204e9800998ecf8427e',
    abc: '900150983cd24fb0d6963f7d28e17f72',
    '448 bits': '8215ef0796a20bcaaae116d3876c664a',
    '896 bits': '03dd8807a93175fb062dfb55dc7d359c',
  },
  'SHA-1': {
    empty: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    abc: 'a9993e364706816aba3e25717850c26c9cd0d89d',
    '448 bits': '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    '896 bits': 'a49b2446a02c645bf419f995b67091253a04a259',
  },
  'SHA-256': {
    empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    '448 bits': '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    '896 bits': 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  },
  'SHA-512': {
    empty:
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce' +
      '47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    abc:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
      '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    '448 bits':
      '204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335' +
      '96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445',
    '896 bits':
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018' +
      '501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
  },
  'SHA-512/256': {
    empty: 'c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a',
    abc: '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
    '448 bits': 'bde8e1f9f19bb9fd3406c90ec6bc47bd36d8ada9f11880dbc8a22a7078b6a461',
    '896 bits': '3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a',
  },
};

describe.each(hashes)('$name', ({ name, portable, node }) => {
  test.each(Object.entries(messages))(
    'gives the published digest of the %s message',
    (key, text) => {
      expect(portable(ascii(text))).toBe(published[name][key as keyof typeof messages]);
    },
  );

  test('agrees with Node at every length from 0 to 300 bytes (block boundaries 55/56, 63/64, 111/112, 127/128)', () => {
    for (let length = 0; length <= 300; length++) {
      // Bytes of every value, the high ones too (sign bits in 32-bit words).
      const data = Uint8Array.from({ length }, (_, i) => (i * 151 + length * 7) & 0xff);
      expect([length, portable(data)]).toEqual([length, nodeHex(node, data)]);
    }
  });

  test('agrees with Node on all-0xff and all-zero messages around the boundaries', () => {
    for (const length of [55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 255, 256]) {
      for (const fill of [0x00, 0xff]) {
        const data = new Uint8Array(length).fill(fill);
        expect([length, fill, portable(data)]).toEqual([length, fill, nodeHex(node, data)]);
      }
    }
  });

  test('agrees with Node on random bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(portable(data)).toBe(nodeHex(node, data));
      }),
      { numRuns: 300 },
    );
  });

  test('returns lower-case hex of the digest length', () => {
    const digest = portable(ascii('abc'));
    expect(digest).toMatch(/^[0-9a-f]+$/);
    expect(digest).toHaveLength(createHash(node).digest().length * 2);
  });
});

describe('one million times "a" (many blocks)', () => {
  const million = new Uint8Array(1_000_000).fill(0x61);
  test.each([
    ['MD5', md5, '7707d6ae4e027c70eea2a935c2296f21'],
    ['SHA-1', sha1, '34aa973cd4c4daa4f61eeb2bdbad27316534016f'],
    ['SHA-256', sha256, 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
    [
      'SHA-512',
      sha512,
      'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb' +
        'de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b',
    ],
  ])('%s gives the published digest', (_name, hash, expected) => {
    expect(hash(million)).toBe(expected);
  });
});

test('RFC 1321 §A.5: the MD5 test suite', () => {
  const suite: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    [
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      'd174ab98d277d9f5a5611c2c9f419d9f',
    ],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  for (const [text, expected] of suite) expect(md5(ascii(text))).toBe(expected);
});

describe('the RFC 7616 examples, computed with the portable hashes alone', () => {
  const H = (hash: (data: Uint8Array) => string, text: string): string => hash(ascii(text));

  test('§3.9.1: Mufasa with MD5 and with SHA-256', () => {
    const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    const response = (hash: (data: Uint8Array) => string): string => {
      const HA1 = H(hash, 'Mufasa:http-auth@example.org:Circle of Life');
      const HA2 = H(hash, 'GET:/dir/index.html');
      return H(hash, `${HA1}:${nonce}:00000001:${cnonce}:auth:${HA2}`);
    };
    expect(response(md5)).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(response(sha256)).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  test('§3.9.2 with erratum 4897: userhash and response with SHA-512/256, a UTF-8 user name', () => {
    const user = 'J\u00e4s\u00f8n Doe';
    const nonce = '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK';
    const cnonce = 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v';
    expect(H(sha512_256, `${user}:api@example.org`)).toBe(
      '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
    );
    const HA1 = H(sha512_256, `${user}:api@example.org:Secret, or not?`);
    const HA2 = H(sha512_256, 'GET:/doe.json');
    expect(H(sha512_256, `${HA1}:${nonce}:00000001:${cnonce}:auth:${HA2}`)).toBe(
      '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5',
    );
    // The RFC's own printed values: SHA-512 cut to 256 bits.
    expect(H(sha512, `${user}:api@example.org`).slice(0, 64)).toBe(
      '488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec',
    );
  });

  test('RFC 2069 §2.4 (corrected): no qop, MD5', () => {
    const HA1 = H(md5, 'Mufasa:testrealm@host.com:CircleOfLife');
    const HA2 = H(md5, 'GET:/dir/index.html');
    expect(H(md5, `${HA1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:${HA2}`)).toBe(
      '1949323746fe6a43ef61f9606e7febea',
    );
  });
});
