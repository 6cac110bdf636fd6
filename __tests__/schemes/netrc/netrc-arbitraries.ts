/**
 * fast-check generators and properties for the netrc reader (`src/schemes/netrc/netrc-file.ts`),
 * shared by the bounded property tests (`netrc-file.property.test.ts`) and the long fuzz run
 * (`scripts/fuzz.ts`). Files are written with every freedom the format gives (quoted or bare
 * tokens, backslash escapes, spaces, tabs, LF, CRLF or lone CR, one entry per line or one token
 * per line, `user` for `login`, comments, `macdef` blocks), and must read back as generated.
 */
import fc from 'fast-check';
import { NetrcParseError } from '../../../src/errors';
import { hostKey, parseNetrc } from '../../../src/schemes/netrc/netrc-file';

export interface GeneratedEntry {
  machine: string | undefined;
  login: string;
  password: string;
  account: string;
}

/**
 * A value: any text but CR (a reader with universal newlines turns CR into LF, also inside a
 * quoted token, as Python's does) and NUL. Quotes, backslashes, `#`, spaces, tabs, LF, keywords
 * and non-ASCII all occur.
 */
const valueArb = fc
  .oneof(
    fc.string({ maxLength: 16, unit: 'grapheme' }),
    fc.constantFrom('machine', 'default', 'password', '#55', 'pa#55', '"', '\\', 'a b\tc', 'üñï'),
    fc.string({ maxLength: 8, unit: fc.constantFrom('a', ' ', '"', '\\', '#', '\t', '\n', 'é') }),
  )
  .map((value) => value.replace(/[\r\0]/g, ''));

/** A host name: a non-empty value. */
const machineArb = valueArb.filter((value) => value !== '');

const entryFields = {
  login: valueArb,
  password: valueArb,
  account: valueArb,
};

const entriesArb = fc.uniqueArray(fc.record({ machine: machineArb, ...entryFields }), {
  maxLength: 5,
  selector: (entry) => hostKey(entry.machine),
});

const layoutArb = fc.record({
  lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  between: fc.constantFrom(' ', '\t', ' \t ', 'NL', 'NL  '),
  alwaysQuote: fc.boolean(),
  userKeyword: fc.boolean(),
  comment: fc.boolean(),
  macro: fc.boolean(),
  defaultFirst: fc.boolean(),
});

type Layout = typeof layoutArb extends fc.Arbitrary<infer T> ? T : never;

const fileArb = fc.record({
  machines: entriesArb,
  fallback: fc.option(fc.record(entryFields), { nil: undefined }),
  layout: layoutArb,
});

/** A token as written: bare when it can be, else quoted with `"` and `\` escaped. */
function writeToken(value: string, alwaysQuote: boolean): string {
  const bare = /^[^\s"\\]+$/.test(value) && !value.startsWith('#');
  if (bare && !alwaysQuote) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function writeEntry(head: string, fields: Omit<GeneratedEntry, 'machine'>, layout: Layout): string {
  const gap = layout.between.replace('NL', layout.lineEnd);
  const words = [
    head,
    layout.userKeyword ? 'user' : 'login',
    writeToken(fields.login, layout.alwaysQuote),
    'password',
    writeToken(fields.password, layout.alwaysQuote),
    'account',
    writeToken(fields.account, layout.alwaysQuote),
  ];
  return words.join(gap);
}

/** The text of a netrc file for the generated entries. */
export function writeNetrc(
  machines: GeneratedEntry[],
  fallback: Omit<GeneratedEntry, 'machine'> | undefined,
  layout: Layout,
): string {
  const nl = layout.lineEnd;
  const blocks = machines.map((entry) =>
    writeEntry(`machine ${writeToken(entry.machine!, layout.alwaysQuote)}`, entry, layout),
  );
  if (fallback) {
    const text = writeEntry('default', fallback, layout);
    if (layout.defaultFirst) blocks.unshift(text);
    else blocks.push(text);
  }
  if (layout.comment) blocks.unshift('# machine commented.example login x password y');
  if (layout.macro) blocks.push(`macdef init${nl}cd /pub${nl}password nothing${nl}`);
  return blocks.join(nl) + nl;
}

/** Generated files read back as generated: every machine, the default, and nothing else. */
export const netrcRoundTrip = fc.property(fileArb, ({ machines, fallback, layout }) => {
  const text = writeNetrc(machines, fallback, layout);
  const netrc = parseNetrc(text, 'generated.netrc');
  const read = netrc.machines.map(({ machine, login, password, account }) => ({
    machine,
    login,
    password,
    account,
  }));
  const want = machines.map(({ machine, login, password, account }) => ({
    machine,
    login,
    password,
    account,
  }));
  if (JSON.stringify(read) !== JSON.stringify(want)) {
    throw new Error(`machines read back differently: ${JSON.stringify(read)}`);
  }
  const readDefault = netrc.default && {
    login: netrc.default.login,
    password: netrc.default.password,
    account: netrc.default.account,
  };
  if (JSON.stringify(readDefault) !== JSON.stringify(fallback)) {
    throw new Error(`default read back differently: ${JSON.stringify(readDefault)}`);
  }
  for (const entry of machines) {
    if (netrc.authenticators(entry.machine.toUpperCase())?.password !== entry.password) {
      // Upper-casing may change a non-ASCII name beyond case (ß → SS): only ASCII is checked.
      if (/^[\x20-\x7e]*$/.test(entry.machine)) throw new Error('host lookup is case-sensitive');
    }
  }
});

/** Any text: a Netrc or a NetrcParseError with a line inside the text; nothing else. */
export const netrcOnlyParseErrors = fc.property(
  fc.oneof(
    fc.string({ maxLength: 80, unit: 'grapheme' }),
    fc
      .array(
        fc.constantFrom(
          'machine',
          'default',
          'macdef',
          'login',
          'password',
          'account',
          '"',
          '\\',
          '#',
          ' ',
          '\n',
          '\r\n',
          'x',
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(' ')),
  ),
  (text) => {
    try {
      parseNetrc(text, 'fuzz.netrc');
    } catch (error) {
      if (!(error instanceof NetrcParseError)) throw error;
      const lines = text.split(/\r\n?|\n/).length;
      if (!(error.line >= 1 && error.line <= lines)) {
        throw new Error(`line ${error.line} outside a text of ${lines} lines`);
      }
    }
  },
);
