#!/usr/bin/env node
/**
 * `npm run build`: dist/esm (ES modules) and dist/cjs (CommonJS), each with its own declarations.
 *
 * Two plain `tsc` runs over the same sources. Each flavour gets its own `.d.ts` files next to its
 * `.js` and a `package.json` with its `type`, so that TypeScript reads dist/esm/*.d.ts as ES
 * module declarations (their `import ... from 'axios'` resolves to axios's `index.d.ts`) and
 * dist/cjs/*.d.ts as CommonJS ones (resolving to `index.d.cts`). One shared CommonJS `.d.ts`
 * would give ESM users a second, unrelated `AxiosInstance` type.
 *
 *   node scripts/build.mjs             clean dist, then build both flavours
 *   node scripts/build.mjs --if-stale  do nothing when dist was built from the same inputs
 *
 * `--if-stale` is what the tests use: each test file that needs dist asks for it, and only the
 * first one after a change pays for the build. A lock directory serialises concurrent builds
 * (jest runs test files in parallel workers), so no build deletes dist under another.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-hash');
const lockDir = join(root, '.tmp', 'build.lock');

const flavours = [
  { tsconfig: 'tsconfig.esm.json', out: 'esm', type: 'module' },
  { tsconfig: 'tsconfig.cjs.json', out: 'cjs', type: 'commonjs' },
];

/** Everything the output depends on: sources, build configs, and the compiler and axios used. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [
    ...listFiles(join(root, 'src')),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs']
      .concat(flavours.map((f) => f.tsconfig))
      .map((name) => join(root, name)),
  ];
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const pkg of ['typescript', 'axios']) {
    hash.update(`${pkg}@${require(`${pkg}/package.json`).version}\0`);
  }
  return hash.digest('hex');
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : [path];
    });
}

function isFresh(hash) {
  if (!existsSync(stampFile)) return false;
  if (readFileSync(stampFile, 'utf8').trim() !== hash) return false;
  return flavours.every((f) => existsSync(join(dist, f.out, 'index.js')));
}

function tsc(tsconfig) {
  const bin = require.resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '-p', tsconfig], { cwd: root, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ tsconfig, code, output }));
  });
}

/** mkdir is atomic: whoever creates the directory holds the lock. */
async function acquireLock() {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockIsStale()) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`build: timed out waiting for ${lockDir}`);
    await sleep(100);
  }
}

/** A lock left by a build that died (its process is gone, or it is far older than any build). */
function lockIsStale() {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    if (Date.now() - statSync(lockDir).mtimeMs > 300_000) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ENOENT: the holder has not written its pid yet (or just released): not stale.
    return error.code === 'ESRCH';
  }
}

async function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  const results = await Promise.all(flavours.map((f) => tsc(f.tsconfig)));
  const failed = results.filter((r) => r.code !== 0);
  for (const r of failed) process.stderr.write(`tsc -p ${r.tsconfig} failed:\n${r.output}\n`);
  if (failed.length > 0) {
    // Leave no half-built dist behind that a later `--if-stale` run could take for a good one.
    rmSync(dist, { recursive: true, force: true });
    return false;
  }
  for (const f of flavours) {
    writeFileSync(join(dist, f.out, 'package.json'), `${JSON.stringify({ type: f.type })}\n`);
  }
  console.log(`build: dist/esm and dist/cjs in ${Date.now() - started} ms`);
  return true;
}

const ifStale = process.argv.includes('--if-stale');
await acquireLock();
let ok = true;
try {
  const hash = inputsHash();
  if (ifStale && isFresh(hash)) {
    console.log('build: dist is up to date');
  } else {
    ok = await build();
    // Written last: a stamp only ever stands for a complete build.
    if (ok) writeFileSync(stampFile, `${hash}\n`);
  }
} finally {
  rmSync(lockDir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
