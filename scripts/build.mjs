#!/usr/bin/env node
/**
 * `npm run build`: dist/esm (ES modules) and dist/cjs (CommonJS), each with its own declarations.
 *
 * Two plain `tsc` runs over the same sources, side by side. Each flavour gets its own `.d.ts`
 * files next to its `.js`, so that TypeScript reads dist/esm/*.d.ts as ES module declarations
 * (their `import ... from 'axios'` resolves to axios's `index.d.ts`) and dist/cjs/*.d.ts as
 * CommonJS ones (`index.d.cts`): one shared CommonJS `.d.ts` would give ESM users a second,
 * unrelated `AxiosInstance` type. Each flavour's own package.json carries its `type` and
 * `"sideEffects": false`: bundlers read the nearest package.json, not the root one, so without the
 * flag there `import { withAuth, BasicAuth }` would bundle the whole package.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tscBin = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const dist = join(root, 'dist');

const flavours = [
  { tsconfig: 'tsconfig.esm.json', out: 'esm', type: 'module' },
  { tsconfig: 'tsconfig.cjs.json', out: 'cjs', type: 'commonjs' },
];

/** Output is collected, so that the two compilers' diagnostics are not interleaved. */
function tsc(tsconfig, outDir) {
  return new Promise((resolve) => {
    const args = [tscBin, '-p', tsconfig, '--outDir', outDir];
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ tsconfig, code, output }));
  });
}

const started = Date.now();
// Built beside dist, then swapped in with two renames: a test run or a bundler reading dist
// while another build runs (two jest runs in one checkout) never finds it half-built or gone.
const building = join(root, `dist.building-${process.pid}`);
rmSync(building, { recursive: true, force: true });
const results = await Promise.all(flavours.map((f) => tsc(f.tsconfig, join(building, f.out))));
const failed = results.filter((r) => r.code);
for (const r of failed) process.stderr.write(`tsc -p ${r.tsconfig} failed:\n${r.output}\n`);
if (failed.length > 0) {
  rmSync(building, { recursive: true, force: true });
  process.exit(1);
}
for (const f of flavours) {
  const manifest = { type: f.type, sideEffects: false };
  writeFileSync(join(building, f.out, 'package.json'), `${JSON.stringify(manifest)}\n`);
}
const previous = join(root, `dist.previous-${process.pid}`);
if (existsSync(dist)) renameSync(dist, previous);
renameSync(building, dist);
rmSync(previous, { recursive: true, force: true });
console.log(`build: dist/esm and dist/cjs in ${Date.now() - started} ms`);
