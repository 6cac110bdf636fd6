/**
 * The built package, as the package, types and browser tests use it. Jest's globalSetup
 * (`__tests__/support/global-setup.ts`) builds dist once per run; `ensureBuilt()` only checks that
 * it is there, so that a test file run some other way fails with a clear message.
 * `consumerProject()` makes a project outside the repository whose node_modules links
 * `axios-auth-flow` to the repository, so that it resolves through package.json's `exports` map
 * exactly as an installed copy would.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository, as Node and TypeScript name the files they resolve: links followed. */
export const repo = realpathSync(resolve(__dirname, '..', '..'));

/** The files each build must have: its entry point and its own package.json. */
const builtFiles = ['esm', 'cjs'].flatMap((flavour) =>
  ['index.js', 'index.d.ts', 'package.json'].map((file) => join('dist', flavour, file)),
);

export function ensureBuilt(): void {
  const missing = builtFiles.filter((file) => !existsSync(join(repo, file)));
  if (missing.length > 0) {
    throw new Error(
      `dist is not built (missing ${missing.join(', ')}): run the tests with jest, whose ` +
        'globalSetup builds it, or run `npm run build` first',
    );
  }
}

export interface ConsumerProject {
  dir: string;
  remove(): void;
}

/** A project of the given module type with `axios-auth-flow` and `axios` in its node_modules. */
export function consumerProject(type: 'module' | 'commonjs'): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), `axios-auth-flow-${type}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'axios-auth-flow'), 'dir');
  // The same axios the package resolves from the repository: one copy, as npm would install it.
  symlinkSync(join(repo, 'node_modules', 'axios'), join(dir, 'node_modules', 'axios'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
