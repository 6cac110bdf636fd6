/**
 * Property-based tests of the `WWW-Authenticate` parser (fast-check): generated challenges read
 * back as generated, and no input makes it throw anything but a ChallengeParseError or quote a
 * value in its message. Bounded to a few seconds; `scripts/fuzz.ts` runs the same properties
 * for longer. Time is not asserted: linear cost is measured by `scripts/parse-shapes.ts`.
 */
import fc from 'fast-check';
import { parseChallenges } from '../../src/http/challenge';
import { errorsDoNotEcho, onlyChallengeParseErrors, roundTrip } from './challenge-arbitraries';

test('generated challenges round-trip through the parser', () => {
  fc.assert(roundTrip, { numRuns: 1000 });
});

test('any text: a reading or a ChallengeParseError with a position inside it, nothing else', () => {
  fc.assert(onlyChallengeParseErrors, { numRuns: 3000 });
});

test('error messages never quote a value', () => {
  fc.assert(errorsDoNotEcho, { numRuns: 300 });
});

test('the params of a challenge without any are read-only for every caller', () => {
  const [bare] = parseChallenges('Basic, Negotiate abc==');
  const params = bare!.params as Map<string, string>;
  expect(() => params.set('realm', 'x')).toThrow(TypeError);
  expect(parseChallenges('Basic')[0]!.params.size).toBe(0);
});
