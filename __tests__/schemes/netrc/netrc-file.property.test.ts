/**
 * Property-based tests of the netrc reader (fast-check): generated files, written with every
 * freedom the format gives, read back as generated; any text gives a Netrc or a NetrcParseError
 * with a line inside the text. Bounded to a few seconds; `scripts/fuzz.ts` runs them longer.
 */
import fc from 'fast-check';
import { netrcOnlyParseErrors, netrcRoundTrip } from './netrc-arbitraries';

test('generated netrc files round-trip through the reader', () => {
  fc.assert(netrcRoundTrip, { numRuns: 1000 });
});

test('any text: a Netrc or a NetrcParseError naming a line of it, nothing else', () => {
  fc.assert(netrcOnlyParseErrors, { numRuns: 2000 });
});
