/**
 * The built package, as the package and types tests use it: `ensureBuilt()` runs the build when
 * dist is missing or older than its inputs (scripts/build.mjs --if-stale; a clean clone builds
 * here), and `consumerProject()` makes a project outside the repository whose node_modules links
 * `axios-auth-flow` to the repository, so that it resolves through package.json's `exports` map
 * exactly as an installed copy would.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository, as Node and TypeScript name the files they resolve: links followed. */
export const repo = realpathSync(resolve(__dirname, '..', '..'));

export function ensureBuilt(): void {
  try {
    execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--if-stale'], {
      cwd: repo,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`);
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
