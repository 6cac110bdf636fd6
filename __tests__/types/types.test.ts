/**
 * Type tests: the TypeScript compiler, run over consumer code that imports the BUILT package.
 *
 * fixtures/pass/*.ts must compile with no diagnostic at all; fail/*.ts must produce exactly the
 * diagnostics their `// expect TSnnnn: text` comments announce, each on the line after its
 * comment, and nothing else. Both sets are compiled as a consumer would: in a project outside the
 * repository whose node_modules links `axios-auth-flow`, once as ES modules and once as CommonJS
 * (Node16 resolution, so each picks its own declarations through the `exports` map), and once
 * with bundler resolution. `strict` and `exactOptionalPropertyTypes` are on, and `skipLibCheck`
 * is off, so an error inside our own declarations (the module augmentation) fails too.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { consumerProject, ensureBuilt, repo, type ConsumerProject } from '../package/dist';

const passDir = join(__dirname, 'fixtures', 'pass');
const failDir = join(__dirname, 'fail');
const axiosDir = realpathSync(join(repo, 'node_modules', 'axios'));

interface Flavour {
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
  skipLibCheck: false,
  // TypeScript's own lib.*.d.ts need no checking here, and checking lib.dom.d.ts is most of the time.
  skipDefaultLibCheck: true,
  typeRoots: [join(repo, 'node_modules', '@types')],
};

const flavours: Flavour[] = [
  {
    // An ES module project with no @types/node: also proves the declarations need no Node types.
    name: 'ESM (Node16)',
    type: 'module',
    ours: 'dist/esm/index.d.ts',
    axios: 'index.d.ts',
    options: {
      ...common,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    },
  },
  {
    name: 'CommonJS (Node16)',
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

const tsFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort();

const passFiles = tsFiles(passDir);
const failFiles = tsFiles(failDir);

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

interface Compiled {
  program: ts.Program;
  diagnostics: readonly ts.Diagnostic[];
  /** Copied fixture path -> path in the repository, for messages. */
  origin: Map<string, string>;
}

function compile(flavour: Flavour, project: ConsumerProject): Compiled {
  const origin = new Map<string, string>();
  for (const [dir, names, sub] of [
    [passDir, passFiles, 'pass'],
    [failDir, failFiles, 'fail'],
  ] as const) {
    mkdirSync(join(project.dir, sub));
    for (const name of names) {
      const copy = join(project.dir, sub, name);
      copyFileSync(join(dir, name), copy);
      origin.set(copy, relative(repo, join(dir, name)));
    }
  }
  const program = ts.createProgram({
    rootNames: [...origin.keys()],
    options: flavour.options,
    host: cachingHost(flavour.options),
  });
  return { program, diagnostics: ts.getPreEmitDiagnostics(program), origin };
}

/** TypeScript's lib files, parsed once for all flavours (they are the same in each). */
const libCache = new Map<string, ts.SourceFile | undefined>();
const libDir = dirname(ts.getDefaultLibFilePath(common));

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (dirname(fileName) !== libDir) {
      return getSourceFile(fileName, languageVersion, ...rest);
    }
    if (!libCache.has(fileName)) {
      libCache.set(fileName, getSourceFile(fileName, languageVersion, ...rest));
    }
    return libCache.get(fileName);
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
function escapeHatches(name: string, text: string): string[] {
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

test('fixtures/pass use no casts, no `any`, no non-null assertions and no @ts- comments', () => {
  const found = passFiles.flatMap((name) =>
    escapeHatches(name, readFileSync(join(passDir, name), 'utf8')),
  );
  expect(found).toEqual([]);
});

beforeAll(() => ensureBuilt(), 180_000);

describe.each(flavours)('$name consumer of the built package', (flavour) => {
  let project: ConsumerProject;
  let compiled: Compiled;

  beforeAll(() => {
    project = consumerProject(flavour.type);
    compiled = compile(flavour, project);
  }, 120_000);
  afterAll(() => project?.remove());

  const inFailFixture = (diagnostic: ts.Diagnostic): boolean =>
    diagnostic.file !== undefined &&
    (compiled.origin.get(diagnostic.file.fileName) ?? '').includes('types/fail/');

  test('resolves axios-auth-flow and axios to the declarations of its module flavour', () => {
    const files = compiled.program.getSourceFiles().map((file) => file.fileName);
    const ours = files.filter((file) => file.startsWith(join(repo, 'dist', '')));
    expect(ours).toContain(join(repo, flavour.ours));
    expect(ours.filter((file) => !file.startsWith(join(repo, flavour.ours, '..', '')))).toEqual([]);
    // Both flavours of axios in one program would mean two unrelated AxiosInstance types.
    const axiosTypings = files.filter((file) => file.startsWith(join(axiosDir, '')));
    expect(axiosTypings).toEqual([join(axiosDir, flavour.axios)]);
  });

  test('every fixtures/pass file compiles, and so do our declarations', () => {
    const errors = compiled.diagnostics
      .filter((diagnostic) => !inFailFixture(diagnostic))
      .map((diagnostic) => describeDiagnostic(diagnostic, compiled.origin));
    expect(errors).toEqual([]);
  });

  test.each(failFiles)('fail/%s gives exactly the expected diagnostics', (name) => {
    const path = join(failDir, name);
    const markers = markersOf(readFileSync(path, 'utf8'));
    expect(markers.length).toBeGreaterThan(0);
    const diagnostics = compiled.diagnostics.filter(
      (diagnostic) =>
        diagnostic.file !== undefined &&
        compiled.origin.get(diagnostic.file.fileName) === relative(repo, path),
    );
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
      .map((diagnostic) => describeDiagnostic(diagnostic, compiled.origin));
    expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
  });
});
