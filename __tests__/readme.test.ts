/**
 * README.md's TypeScript examples compile, as a user who copies them gets them: every ```ts block
 * (read when the test runs, so later README edits are checked) is its own module `snippet-<n>.ts`
 * in an ES module consumer project (`"type": "module"`, module/moduleResolution nodenext, target
 * ES2022, lib ES2022 + DOM, @types/node) whose node_modules links `axios-auth-flow` to the BUILT
 * package, type-checked under `strict`, `exactOptionalPropertyTypes` and
 * `noUncheckedIndexedAccess`. One `ts.Program` compiles all the blocks together (one tsc process
 * per block would parse lib.dom.d.ts and @types/node once per block).
 *
 * A block that needs names it does not define is a README bug, reported like any other error:
 * there is no way to exempt a block (a skipped example is an example nobody checks).
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { consumerProject, ensureBuilt, repo, type ConsumerProject } from './package/dist';

const readmePath = join(repo, 'README.md');

interface Snippet {
  /** 1-based: `snippet-<n>.ts`. */
  index: number;
  /** 1-based README line of the opening fence; the block's first line is the next one. */
  fenceLine: number;
  code: string;
}

interface Readme {
  snippets: Snippet[];
  /** A fence that never closes (everything after it would be read as code). */
  unclosed: string[];
}

const tsLanguages = new Set(['ts', 'typescript']);

function parseReadme(text: string): Readme {
  const lines = text.split(/\r?\n/);
  const snippets: Snippet[] = [];
  let open: { fence: string; indent: number; line: number; lang: string } | undefined;
  let body: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (open === undefined) {
      const start = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
      if (start) {
        open = { fence: start[2]!, indent: start[1]!.length, line: index, lang: start[3]! };
        body = [];
      }
      continue;
    }
    const fence = open.fence;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    if (!close.test(line)) {
      // Strip the fence's own indentation (a block inside a list item), no more.
      body.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ''));
      continue;
    }
    if (tsLanguages.has(open.lang.toLowerCase())) {
      snippets.push({
        index: snippets.length + 1,
        fenceLine: open.line + 1,
        code: body.join('\n') + '\n',
      });
    }
    open = undefined;
  }
  const unclosed =
    open === undefined ? [] : [`README.md:${open.line + 1}: code fence never closed`];
  return { snippets, unclosed };
}

const options: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  // Every block is a module of its own, also one with no import (top-level await, own names).
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  typeRoots: [join(repo, 'node_modules', '@types')],
  noEmit: true,
  // The blocks are what is checked; declaration files are the types tests' job.
  skipLibCheck: true,
};

/** The npm package a bare import names: `a`, `@scope/a`; undefined for `node:` and relative ones. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Packages the blocks import besides axios and ours (axios-mock-adapter), linked into the
 * consumer project from the repository's node_modules as npm would install them. One that the
 * repository does not have stays missing, and its import is an error to report.
 */
function linkImportedPackages(project: ConsumerProject, snippets: Snippet[]): void {
  const names = new Set<string>();
  for (const snippet of snippets) {
    for (const imported of ts.preProcessFile(snippet.code, true, true).importedFiles) {
      const name = packageOf(imported.fileName);
      if (name !== undefined) names.add(name);
    }
  }
  for (const name of names) {
    const target = join(project.dir, 'node_modules', name);
    const source = join(repo, 'node_modules', name);
    if (existsSync(target) || !existsSync(source)) continue;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target, 'dir');
  }
}

interface Compiled {
  program: ts.Program;
  /** Snippet file path -> its snippet. */
  files: Map<string, Snippet>;
  diagnostics: readonly ts.Diagnostic[];
}

function compile(project: ConsumerProject, snippets: Snippet[]): Compiled {
  const files = new Map<string, Snippet>();
  for (const snippet of snippets) {
    const path = join(project.dir, `snippet-${snippet.index}.ts`);
    writeFileSync(path, snippet.code);
    files.set(path, snippet);
  }
  const program = ts.createProgram({ rootNames: [...files.keys()], options });
  return { program, files, diagnostics: ts.getPreEmitDiagnostics(program) };
}

/** `README.md:68:47 TS2769: message`, the position in README.md of a diagnostic in a block. */
function explain(diagnostic: ts.Diagnostic, compiled: Compiled): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
  const code = `TS${diagnostic.code}`;
  if (!diagnostic.file || diagnostic.start === undefined) return `${code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const snippet = compiled.files.get(diagnostic.file.fileName);
  if (snippet === undefined) {
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} ${code}: ${message}`;
  }
  const source = diagnostic.file.text.split('\n')[line] ?? '';
  return (
    `README.md:${snippet.fenceLine + line + 1}:${character + 1} ${code}: ${message}\n` +
    `    > ${source.trim()}`
  );
}

const readme = parseReadme(readFileSync(readmePath, 'utf8'));
const compiledSnippets = readme.snippets;

describe('README.md ```ts blocks compile against the built package (ESM, nodenext, strict)', () => {
  let project: ConsumerProject | undefined;
  let compiled: Compiled;

  beforeAll(() => {
    ensureBuilt();
    project = consumerProject('module');
    linkImportedPackages(project, compiledSnippets);
    compiled = compile(project, compiledSnippets);
  }, 120_000);
  afterAll(() => project?.remove());

  test('README.md has ```ts blocks, and every code fence closes', () => {
    expect(compiledSnippets.length).toBeGreaterThan(0);
    expect(readme.unclosed).toEqual([]);
  });

  test('the blocks resolve axios-auth-flow to the built ES module declarations', () => {
    const files = compiled.program.getSourceFiles().map((file) => file.fileName);
    expect(files).toContain(join(repo, 'dist', 'esm', 'index.d.ts'));
    expect(files.filter((file) => file.startsWith(join(repo, 'src', '')))).toEqual([]);
  });

  test('no diagnostic outside the blocks (compiler options, declaration files)', () => {
    const outside = compiled.diagnostics
      .filter((diagnostic) => !diagnostic.file || !compiled.files.has(diagnostic.file.fileName))
      .map((diagnostic) => explain(diagnostic, compiled));
    expect(outside).toEqual([]);
  });

  // One test per block, named by its line in README.md (test.each refuses an empty table).
  for (const snippet of compiledSnippets) {
    test(`the block at README.md:${snippet.fenceLine} (snippet-${snippet.index}.ts) compiles`, () => {
      const errors = compiled.diagnostics
        .filter(
          (diagnostic) =>
            diagnostic.file && compiled.files.get(diagnostic.file.fileName) === snippet,
        )
        .map((diagnostic) => explain(diagnostic, compiled));
      if (errors.length > 0) {
        throw new Error(
          `The \`\`\`ts block at README.md:${snippet.fenceLine} does not compile ` +
            `(snippet-${snippet.index}.ts, ESM nodenext, strict):\n  ${errors.join('\n  ')}`,
        );
      }
    });
  }
});
