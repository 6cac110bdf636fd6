/**
 * The type-test matrix: fixtures compiled by the TypeScript compiler as a consumer project would
 * compile them, against the BUILT package, for each module flavour and with `skipLibCheck` off
 * and on.
 *
 * A fixture set is a directory under `__tests__/types/fixtures/` with `pass/` (must compile with
 * no diagnostic at all) and `fail/` (must give exactly the diagnostics their
 * `// expect TSnnnn: text` comments announce, each on the line after its comment, and nothing
 * else), and the npm packages it imports besides axios (the add-on), which are linked into the
 * consumer project's node_modules as npm would install them. A fixture whose first line is
 * `// flavours: esm, cjs` is compiled only in those flavours (axios-mock-adapter's CommonJS-only
 * typings make one line differ in an ES module project).
 *
 * Why so many programs and how they stay fast: a declaration error (TS2430 in an add-on's
 * `.d.ts`, as a global augmentation causes) shows only with `skipLibCheck: false`, and a
 * flavour's own resolution (nodenext ESM, node16 CommonJS, bundler) picks different declaration
 * files, so each cell is its own `ts.Program`. Each set compiles all its fixtures in one program
 * per cell; parsed declaration files are shared between the cells of one flavour (parsing
 * lib.dom.d.ts is most of a cold program), and each set is its own jest file, so the sets run in
 * parallel workers.
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { consumerProject, ensureBuilt, repo, type ConsumerProject } from '../package/dist';

export const fixturesRoot = join(repo, '__tests__', 'types', 'fixtures');
const axiosDir = realpathSync(join(repo, 'node_modules', 'axios'));

export type FlavourId = 'esm' | 'cjs' | 'bundler';

interface Flavour {
  id: FlavourId;
  name: string;
  type: 'module' | 'commonjs';
  /** The declarations our package must resolve to, and axios's typings they must use. */
  ours: string;
  axios: string;
  options: ts.CompilerOptions;
}

const common: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  // TypeScript's own lib.*.d.ts need no checking here, and checking lib.dom.d.ts is most of the time.
  skipDefaultLibCheck: true,
  typeRoots: [join(repo, 'node_modules', '@types')],
};

const flavours: Flavour[] = [
  {
    // An ES module project with no @types/node: also proves the declarations need no Node types.
    id: 'esm',
    name: 'ESM (nodenext)',
    type: 'module',
    ours: 'dist/esm/index.d.ts',
    axios: 'index.d.ts',
    options: {
      ...common,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    },
  },
  {
    id: 'cjs',
    name: 'CommonJS (node16)',
    type: 'commonjs',
    ours: 'dist/cjs/index.d.ts',
    axios: 'index.d.cts',
    options: {
      ...common,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
    },
  },
  {
    // Vite, webpack and esbuild users: bundler resolution takes the "import" conditions.
    id: 'bundler',
    name: 'ESM (bundler)',
    type: 'module',
    ours: 'dist/esm/index.d.ts',
    axios: 'index.d.ts',
    options: {
      ...common,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    },
  },
];

export interface FixtureSet {
  /** The directory under `__tests__/types/fixtures/`. */
  dir: string;
  /** Packages of the repository's node_modules the fixtures import, besides axios and ours. */
  packages: string[];
  /**
   * The add-on's declarations name DOM types (axios-cache-interceptor's `Storage`), so its users
   * have lib.dom in every project; the CommonJS flavour, which has no DOM otherwise, adds it.
   */
  dom?: boolean;
}

interface Fixture {
  /** Path relative to the set's directory: `pass/x.ts` or `fail/y.ts`. */
  name: string;
  path: string;
  flavours: FlavourId[] | undefined;
}

function fixturesOf(set: FixtureSet): Fixture[] {
  const base = join(fixturesRoot, set.dir);
  return ['pass', 'fail'].flatMap((kind) => {
    let names: string[];
    try {
      names = readdirSync(join(base, kind));
    } catch {
      return [];
    }
    return names
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => {
        const path = join(base, kind, name);
        const first = readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
        const only = /^\/\/ flavours: (.+)$/.exec(first);
        const flavours = only ? (only[1]!.split(/,\s*/) as FlavourId[]) : undefined;
        return { name: `${kind}/${name}`, path, flavours };
      });
  });
}

interface Marker {
  /** Zero-based line the diagnostic must start on. */
  line: number;
  code: number;
  text: string;
}

/** `// expect TS2769: text` announces a diagnostic with that code and text on the next line. */
function markersOf(source: string): Marker[] {
  const markers: Marker[] = [];
  source.split('\n').forEach((line, index) => {
    const match = /^\s*\/\/ expect TS(\d+): (.+?)\s*$/.exec(line);
    if (match) markers.push({ line: index + 1, code: Number(match[1]), text: match[2]! });
  });
  return markers;
}

/** Parsed declaration files, per flavour (its module settings decide how a file is parsed). */
const parsed = new Map<string, ts.SourceFile | undefined>();

function cachingHost(flavour: Flavour, options: ts.CompilerOptions, fixtures: Set<string>) {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (fixtures.has(fileName)) return getSourceFile(fileName, languageVersion, ...rest);
    const format = typeof languageVersion === 'object' ? languageVersion.impliedNodeFormat : '';
    const key = `${flavour.id}:${String(format)}:${fileName}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(fileName, languageVersion, ...rest));
    return parsed.get(key);
  };
  return host;
}

function describeDiagnostic(diagnostic: ts.Diagnostic, origin: Map<string, string>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const name = origin.get(diagnostic.file.fileName) ?? diagnostic.file.fileName;
  return `${name}:${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`;
}

/** Casts, `any` and suppressions in a file: what could make a must-compile file pass by itself. */
export function escapeHatches(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isAsExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      node.kind === ts.SyntaxKind.AnyKeyword
    ) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${name}:${line + 1}: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  text.split('\n').forEach((line, index) => {
    if (/@ts-(ignore|expect-error|nocheck)/.test(line)) found.push(`${name}:${index + 1}: ${line}`);
  });
  return found;
}

interface Cell {
  program: ts.Program;
  diagnostics: readonly ts.Diagnostic[];
  /** Copied fixture path -> its name in the set (`pass/x.ts`). */
  origin: Map<string, string>;
}

function compileCell(
  dom: boolean,
  fixtures: Fixture[],
  flavour: Flavour,
  skipLibCheck: boolean,
  project: ConsumerProject,
): Cell {
  const origin = new Map<string, string>();
  const sub = `cell-${skipLibCheck ? 'skip' : 'check'}`;
  for (const fixture of fixtures) {
    const copy = join(project.dir, sub, fixture.name);
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(fixture.path, copy);
    origin.set(copy, fixture.name);
  }
  const lib = flavour.options.lib ?? [];
  const options = {
    ...flavour.options,
    skipLibCheck,
    lib: dom && !lib.includes('lib.dom.d.ts') ? [...lib, 'lib.dom.d.ts'] : lib,
  };
  const program = ts.createProgram({
    rootNames: [...origin.keys()],
    options,
    host: cachingHost(flavour, options, new Set(origin.keys())),
  });
  return { program, diagnostics: ts.getPreEmitDiagnostics(program), origin };
}

/** A consumer project of the flavour's module type, with the set's add-ons installed beside axios. */
function projectFor(set: FixtureSet, flavour: Flavour): ConsumerProject {
  const project = consumerProject(flavour.type);
  for (const name of set.packages) {
    symlinkSync(join(repo, 'node_modules', name), join(project.dir, 'node_modules', name), 'dir');
  }
  return project;
}

/** Registers the jest tests of one fixture set: every flavour, `skipLibCheck` off and on. */
export function describeTypeMatrix(set: FixtureSet): void {
  const all = fixturesOf(set);
  const pass = all.filter((fixture) => fixture.name.startsWith('pass/'));

  test(`${set.dir}: pass fixtures use no casts, no \`any\`, no non-null assertions, no @ts- comments`, () => {
    const found = pass.flatMap((fixture) =>
      escapeHatches(fixture.name, readFileSync(fixture.path, 'utf8')),
    );
    expect(found).toEqual([]);
  });

  beforeAll(() => ensureBuilt(), 180_000);

  describe.each(flavours)('$name consumer', (flavour) => {
    const fixtures = all.filter((f) => f.flavours === undefined || f.flavours.includes(flavour.id));
    let project: ConsumerProject;
    beforeAll(() => {
      project = projectFor(set, flavour);
    });
    afterAll(() => project?.remove());

    describe.each([false, true])('skipLibCheck %s', (skipLibCheck) => {
      let cell: Cell;
      beforeAll(() => {
        cell = compileCell(set.dom ?? false, fixtures, flavour, skipLibCheck, project);
      }, 120_000);

      const failed = (diagnostic: ts.Diagnostic): string | undefined =>
        diagnostic.file && cell.origin.get(diagnostic.file.fileName);

      test('resolves axios-auth-flow and axios to the declarations of its module flavour', () => {
        const files = cell.program.getSourceFiles().map((file) => file.fileName);
        const ours = files.filter((file) => file.startsWith(join(repo, 'dist', '')));
        expect(ours).toContain(join(repo, flavour.ours));
        expect(ours.filter((file) => !file.startsWith(join(repo, flavour.ours, '..', '')))).toEqual(
          [],
        );
        // Both flavours of axios in one program would mean two unrelated AxiosInstance types;
        // only axios-mock-adapter's CommonJS typings bring the other one into an ESM project.
        const axiosTypings = files.filter((file) => file.startsWith(axiosDir + sep));
        const expected =
          set.packages.includes('axios-mock-adapter') && flavour.id === 'esm'
            ? ['index.d.cts', 'index.d.ts']
            : [flavour.axios];
        expect(axiosTypings.map((file) => relative(axiosDir, file)).sort()).toEqual(expected);
      });

      test('every pass fixture compiles, and so does every declaration file', () => {
        const errors = cell.diagnostics
          .filter((diagnostic) => !(failed(diagnostic) ?? '').startsWith('fail/'))
          .map((diagnostic) => describeDiagnostic(diagnostic, cell.origin));
        expect(errors).toEqual([]);
      });

      const failFixtures = fixtures.filter((fixture) => fixture.name.startsWith('fail/'));
      if (failFixtures.length === 0) return;
      test.each(failFixtures.map((fixture) => [fixture.name, fixture] as const))(
        '%s gives exactly the expected diagnostics',
        (name, fixture) => {
          const markers = markersOf(readFileSync(fixture.path, 'utf8'));
          expect(markers.length).toBeGreaterThan(0);
          const diagnostics = cell.diagnostics.filter((diagnostic) => failed(diagnostic) === name);
          const lineOf = (diagnostic: ts.Diagnostic): number =>
            diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
          const matches = (diagnostic: ts.Diagnostic, marker: Marker): boolean =>
            lineOf(diagnostic) === marker.line &&
            diagnostic.code === marker.code &&
            ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').includes(marker.text);
          const missing = markers
            .filter((marker) => !diagnostics.some((diagnostic) => matches(diagnostic, marker)))
            .map((marker) => `line ${marker.line + 1}: expected TS${marker.code}: ${marker.text}`);
          const unexpected = diagnostics
            .filter((diagnostic) => !markers.some((marker) => matches(diagnostic, marker)))
            .map((diagnostic) => describeDiagnostic(diagnostic, cell.origin));
          expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
        },
      );
    });
  });
}
