#!/usr/bin/env node
/**
 * `npm run test:axios-range`: the runtime tests against both ends of the axios peer range, the
 * floor of package.json's `peerDependencies.axios` (`^1.6.0`: axios 1.6.0) and the newest 1.x.
 *
 * Each axios is installed on its own under .tmp/axios-<label>/node_modules (with its own
 * follow-redirects, form-data, proxy-from-env), and jest runs with AXIOS_AUTH_FLOW_AXIOS_ENTRY
 * naming its CommonJS entry; jest.config.ts maps every `require('axios')` to it, ours and
 * axios-mock-adapter's alike, so one copy serves a test as npm would install it.
 *
 * Which tests: every test of the sources that talks to axios, found by jest, less the ones that do
 * not test the sources against axios: types (compile-time, the repository's axios types), package
 * (the built dist), browser, interop (Apache and lighttpd, the same flows as the Digest tests) and
 * NetRC (its file tests run child processes with the repository's axios). Where the axios under
 * test has no fetch adapter (it came in axios 1.7.0), the tests named "... fetch adapter ..." are
 * skipped, and the run says so.
 *
 *   node scripts/axios-range.mjs               floor and newest 1.x
 *   node scripts/axios-range.mjs 1.7.9 latest  those versions ("latest": the newest 1.x)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const floor = /^\^(\d+\.\d+\.\d+)$/.exec(pkg.peerDependencies.axios)?.[1];
if (!floor) throw new Error(`axios-range: peerDependencies.axios is not ^x.y.z`);
const major = floor.split('.')[0];

const ignored = ['/__tests__/(types|package|browser|interop)/', '/netrc/'];

/** Installs `axios@spec` on its own; returns its version and CommonJS entry. */
function install(label, spec) {
  const dir = join(root, '.tmp', `axios-${label}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true })}\n`);
  const npm = spawnSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `axios@${spec}`],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (npm.status !== 0) throw new Error(`axios-range: npm install axios@${spec} failed`);
  const require = createRequire(join(dir, 'package.json'));
  const { version } = require('axios/package.json');
  // The entry Node's `require('axios')` gets (the exports map's "default" → "require").
  const entry = require.resolve('axios');
  return { version, entry, hasFetch: hasAdapter(require(entry), 'fetch') };
}

function hasAdapter(axios, name) {
  try {
    return typeof axios.getAdapter(name) === 'function';
  } catch {
    return false;
  }
}

function runJest(axios) {
  const jest = createRequire(join(root, 'package.json')).resolve('jest/bin/jest');
  // Without a fetch adapter, the file of fetch-only redirect tests goes as a whole.
  const skipped = axios.hasFetch ? ignored : [...ignored, '/driver/fetch-redirects\\.test\\.ts$'];
  const args = [jest, '--ci', '--silent', '--testPathIgnorePatterns', ...skipped];
  // jest matches the pattern, case-insensitively, against "describe names test name".
  if (!axios.hasFetch) args.push('--testNamePattern', '^(?!.*fetch adapter)');
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, AXIOS_AUTH_FLOW_AXIOS_ENTRY: axios.entry },
  });
  return result.status === 0;
}

const requested = process.argv.slice(2);
const specs = (requested.length > 0 ? requested : [floor, 'latest']).map((spec) =>
  spec === 'latest' ? { label: 'latest', spec: `^${major}` } : { label: spec, spec },
);

const outcomes = [];
for (const { label, spec } of specs) {
  const axios = install(label, spec);
  console.log(`\naxios-range: axios ${axios.version} (axios@${spec}) from ${axios.entry}`);
  if (!axios.hasFetch) console.log('axios-range: no fetch adapter: skipping its tests');
  outcomes.push({ version: axios.version, passed: runJest(axios) });
}
console.log('\naxios-range:');
for (const o of outcomes) console.log(`  axios ${o.version}: ${o.passed ? 'passed' : 'FAILED'}`);
process.exitCode = outcomes.every((o) => o.passed) ? 0 : 1;
