/**
 * Jest's globalSetup: builds dist/esm and dist/cjs once, before any test file runs, so that the
 * tests of the built package (package, types, browser) find it there and no worker builds on its
 * own. A failed build fails the run here, with the compiler's diagnostics.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Jest passes the global config, then this project's config: its rootDir is the repository. */
export default function globalSetup(_global: unknown, project: { rootDir: string }): void {
  const root = project.rootDir;
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
