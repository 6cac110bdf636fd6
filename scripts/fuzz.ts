/**
 * The long fuzz run (issue 10): the property-based tests of the suite with many more runs, and
 * one property only this script runs, end to end through Digest: whatever a 401 says, reading it
 * and answering it gives a typed error or an Authorization value with no CR, LF or NUL and no
 * character a header cannot carry.
 *
 *   npx tsx scripts/fuzz.ts --runs 100000 [--seed 42] [--only netrc]
 *
 * Each property gets `runs` runs (the Digest one too). A failure prints fast-check's shrunk
 * counterexample and the seed and path to replay it, and the script exits with status 1.
 */
import fc from 'fast-check';
import { ChallengeParseError, DigestAuthError } from '../src/errors';
import { parseChallenges } from '../src/http/challenge';
import { chooseChallenge } from '../src/schemes/digest/challenge';
import { digestAuthorization } from '../src/schemes/digest/rfc7616';
import {
  challengeArb,
  errorsDoNotEcho,
  onlyChallengeParseErrors,
  roundTrip,
  tokenArb,
} from '../__tests__/http/challenge-arbitraries';
import { netrcOnlyParseErrors, netrcRoundTrip } from '../__tests__/schemes/netrc/netrc-arbitraries';

const FROM = new URL('http://fuzz.example/a/b?c=d');

/** Digest challenges with hostile values, among others; and raw text near the grammar. */
const digestHeaderArb = fc.oneof(
  fc
    .record({
      realm: fc.string({ maxLength: 40, unit: 'binary' }),
      nonce: fc.string({ maxLength: 40, unit: 'binary' }),
      opaque: fc.option(fc.string({ maxLength: 20, unit: 'binary' }), { nil: undefined }),
      algorithm: fc.constantFrom('MD5', 'sha-256', 'SHA-512-256-SESS', 'SHA', 'md5-sess', 'X'),
      qop: fc.option(fc.constantFrom('auth', 'auth-int', 'auth,auth-int', 'nope', ''), {
        nil: undefined,
      }),
      extra: fc.array(fc.tuple(tokenArb, fc.string({ maxLength: 12, unit: 'binary' })), {
        maxLength: 3,
      }),
      userhash: fc.boolean(),
      charset: fc.boolean(),
    })
    .map(({ realm, nonce, opaque, algorithm, qop, extra, userhash, charset }) => {
      const q = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
      const params = [`realm=${q(realm)}`, `nonce=${q(nonce)}`, `algorithm=${algorithm}`];
      if (opaque !== undefined) params.push(`opaque=${q(opaque)}`);
      if (qop !== undefined) params.push(`qop=${q(qop)}`);
      if (userhash) params.push('userhash=true');
      if (charset) params.push('charset=UTF-8');
      for (const [name, value] of extra) params.push(`${name}=${q(value)}`);
      return `Digest ${params.join(', ')}`;
    }),
  fc
    .array(challengeArb, { maxLength: 3 })
    .map((challenges) =>
      challenges
        .map(
          (c) =>
            `${c.scheme} ${c.params.map(([n, v]) => `${n}="${v.replace(/["\\]/g, '\\$&')}"`).join(', ')}`,
        )
        .join(', '),
    ),
  fc.string({ maxLength: 80, unit: 'binary' }),
);

const userArb = fc
  .oneof(
    fc.string({ maxLength: 12, unit: 'grapheme' }),
    fc.constantFrom('olivia', 'Jäsøn Doe', 'we"ird\\user', 'tab\there', '日本'),
  )
  .map((name) => name.replace(/[\r\n\0]/g, ''));

const digestAnswers = fc.property(digestHeaderArb, userArb, (header, username) => {
  let authorization: string;
  try {
    const challenge = chooseChallenge(parseChallenges(header), FROM);
    if (!challenge) return;
    authorization = digestAuthorization({
      username,
      password: 'pw',
      challenge,
      nonce: challenge.nonce,
      method: 'GET',
      uri: '/a/b?c=d',
      nc: 1,
      cnonce: '0123456789abcdef',
      body: () => new Uint8Array(),
    });
  } catch (error) {
    if (error instanceof ChallengeParseError || error instanceof DigestAuthError) return;
    throw error;
  }
  if (/[\r\n\0]/.test(authorization)) throw new Error('CR, LF or NUL in an Authorization value');
  for (let i = 0; i < authorization.length; i++) {
    if (authorization.charCodeAt(i) > 0xff) throw new Error('a character above U+00FF');
  }
});

type Check = (params: fc.Parameters<unknown>) => fc.RunDetails<unknown>;

const PROPERTIES: Record<string, Check> = {
  'challenge round-trip': (params) => fc.check(roundTrip, params),
  'challenge: only ChallengeParseError': (params) => fc.check(onlyChallengeParseErrors, params),
  'challenge: messages quote no value': (params) => fc.check(errorsDoNotEcho, params),
  'digest: a typed error or a clean Authorization': (params) => fc.check(digestAnswers, params),
  'netrc round-trip': (params) => fc.check(netrcRoundTrip, params),
  'netrc: only NetrcParseError': (params) => fc.check(netrcOnlyParseErrors, params),
};

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function main(): void {
  const numRuns = Number(argument('runs') ?? '20000');
  const seed = Number(argument('seed') ?? Date.now() % 2 ** 31);
  const only = argument('only');
  if (!(numRuns > 0)) throw new Error('--runs takes a positive number');
  console.log(`fuzz: ${numRuns} runs per property, seed ${seed}`);
  let failed = false;
  for (const [name, check] of Object.entries(PROPERTIES)) {
    if (only && !name.includes(only)) continue;
    const start = process.hrtime.bigint();
    const details = check({ numRuns, seed });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (details.failed) {
      failed = true;
      console.log(`FAIL ${name}\n${fc.defaultReportMessage(details) ?? ''}`);
    } else {
      console.log(`ok   ${name}: ${details.numRuns} runs in ${seconds.toFixed(1)} s`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
