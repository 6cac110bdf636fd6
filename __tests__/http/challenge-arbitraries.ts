/**
 * fast-check generators and properties for the `WWW-Authenticate` parser (RFC 9110 §11), shared
 * by the bounded property tests (`challenge.property.test.ts`) and the long fuzz run
 * (`scripts/fuzz.ts`). The generators write challenges the way servers do, with every freedom the
 * grammar gives (OWS, BWS around `=`, empty list elements, quoted or bare values, quoted-pairs,
 * obs-text), and the expected reading is known from what was generated.
 */
import fc from 'fast-check';
import { ChallengeParseError } from '../../src/errors';
import { parseAuthParams, parseChallenges, type Challenge } from '../../src/http/challenge';

/** A challenge as generated: the expected reading. */
export interface GeneratedChallenge {
  scheme: string;
  token68?: string;
  params: [name: string, value: string][];
}

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const TOKEN68_CHARS = '-._~+/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const fromAlphabet = (alphabet: string, minLength = 1, maxLength = 12) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((chars) => chars.join(''));

export const tokenArb = fromAlphabet(TCHARS);

/** Bare parameter values: a token, or the base64-ish unquoted values servers send (`/`, `=`). */
const bareValueArb = fc
  .tuple(fromAlphabet(`${TCHARS}/`, 1, 1), fromAlphabet(`${TCHARS}/=`, 0, 16))
  .map(([first, rest]) => first + rest);

/** The text of a quoted-string: qdtext (HTAB, SP, VCHAR, obs-text), `"` and `\` included. */
const quotedTextArb = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.constant(0x09),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constantFrom(0x22, 0x5c, 0x2c, 0x3d),
    ),
    { maxLength: 24 },
  )
  .map((codes) => String.fromCharCode(...codes));

const token68Arb = fc
  .tuple(fromAlphabet(TOKEN68_CHARS, 1, 24), fc.integer({ min: 0, max: 2 }))
  .map(([body, pad]) => body + '='.repeat(pad));

const paramsArb = fc.uniqueArray(fc.tuple(tokenArb, fc.oneof(bareValueArb, quotedTextArb)), {
  maxLength: 6,
  selector: ([name]) => name.toLowerCase(),
});

export const challengeArb: fc.Arbitrary<GeneratedChallenge> = fc.oneof(
  fc.record({ scheme: tokenArb, params: paramsArb }),
  fc.record({ scheme: tokenArb, token68: token68Arb, params: fc.constant<[string, string][]>([]) }),
);

/** How one list is written: OWS, BWS and empty elements chosen per place. */
const layoutArb = fc.record({
  ows: fc.array(fc.constantFrom('', ' ', '\t', '  '), { minLength: 8, maxLength: 8 }),
  emptyElements: fc.boolean(),
  quoteBare: fc.boolean(),
  schemeCase: fc.constantFrom('as-is', 'upper', 'lower'),
});

type Layout = typeof layoutArb extends fc.Arbitrary<infer T> ? T : never;

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

const isBare = (value: string) =>
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z/][!#$%&'*+\-.^_`|~0-9A-Za-z/=]*$/.test(value);

/** One header value for `challenges`, written with `layout`'s freedoms. */
export function writeChallenges(challenges: GeneratedChallenge[], layout: Layout): string {
  const [a = '', b = '', c = '', d = ''] = layout.ows;
  const separator = layout.emptyElements ? `${a},${b},${c}` : `${a},${b}`;
  return challenges
    .map((challenge) => {
      const scheme =
        layout.schemeCase === 'upper'
          ? challenge.scheme.toUpperCase()
          : layout.schemeCase === 'lower'
            ? challenge.scheme.toLowerCase()
            : challenge.scheme;
      if (challenge.token68 !== undefined) return `${scheme} ${challenge.token68}`;
      if (challenge.params.length === 0) return scheme;
      const params = challenge.params.map(([name, value]) => {
        const written = isBare(value) && !layout.quoteBare ? value : quote(value);
        return `${name}${c}=${d}${written}`;
      });
      return `${scheme} ${params.join(separator)}`;
    })
    .join(separator);
}

/** The reading `parseChallenges` must give for generated challenges. */
export function expected(challenges: GeneratedChallenge[]): object[] {
  return challenges.map((challenge) => ({
    scheme: challenge.scheme.toLowerCase(),
    ...(challenge.token68 === undefined ? {} : { token68: challenge.token68 }),
    params: Object.fromEntries(
      challenge.params.map(([name, value]) => [name.toLowerCase(), value]),
    ),
  }));
}

export function plain(challenges: Challenge[]): object[] {
  return challenges.map((challenge) => ({
    scheme: challenge.scheme,
    ...(challenge.token68 === undefined ? {} : { token68: challenge.token68 }),
    params: Object.fromEntries(challenge.params),
  }));
}

/** Generated challenges, written out, read back as generated. */
export const roundTrip = fc.property(
  fc.array(challengeArb, { minLength: 1, maxLength: 5 }),
  layoutArb,
  (challenges, layout) => {
    const header = writeChallenges(challenges, layout);
    const read = plain(parseChallenges(header));
    if (JSON.stringify(read) !== JSON.stringify(expected(challenges))) {
      throw new Error(`read back differently: ${JSON.stringify(read)}`);
    }
  },
);

/**
 * Text near the grammar (its delimiters, tokens, quotes, control characters, non-ASCII) and
 * arbitrary text: the parser returns or throws a ChallengeParseError whose position is within
 * the value; nothing else escapes it.
 */
const nearGrammarArb = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...[
          ' ',
          '\t',
          ',',
          '=',
          '"',
          '\\',
          '/',
          'Digest',
          'Basic',
          'realm',
          'a',
          '==',
          '\0',
          '\r\n',
        ],
      ),
      tokenArb,
      quotedTextArb.map(quote),
      fc.string({ maxLength: 4, unit: 'binary' }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

function onlyTypedErrors(read: () => unknown, length: number): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof ChallengeParseError)) throw error;
    if (!(error.position >= 0 && error.position <= length)) {
      throw new Error(`position ${error.position} outside a value of ${length} characters`);
    }
  }
}

export const onlyChallengeParseErrors = fc.property(
  fc.oneof(nearGrammarArb, fc.string({ maxLength: 60, unit: 'binary' })),
  (header) => {
    onlyTypedErrors(() => parseChallenges(header), header.length);
    onlyTypedErrors(() => parseAuthParams(header), header.length);
  },
);

/**
 * A challenge's quoted values never appear in an error message, whatever follows them: the
 * message names a position and a kind of character only.
 */
export const errorsDoNotEcho = fc.property(
  fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 12, 24),
  fc.constantFrom('', '"', ' x y', ' =', ',,"', '\0'),
  (secret, tail) => {
    const header = `Digest realm="r", nonce="${secret}"${tail}`;
    try {
      parseChallenges(header);
    } catch (error) {
      if (!(error instanceof ChallengeParseError)) throw error;
      if (error.message.includes(secret)) throw new Error('the message quotes a value');
    }
  },
);
