/**
 * `node --import tsx bench/profile.ts` (after `npm run build`): where a warm call's time goes
 * inside this package. Runs warm calls of some variants of `variants.ts` against the bench
 * server (a child process, as in `run.ts`), with V8's sampling profiler on around the calls
 * only, and prints per variant the package's functions by the time spent in them and in what
 * they call outside the package (crypto, URL, AxiosHeaders), the adapter excluded.
 * The raw profiles go to .tmp/bench-profile/*.cpuprofile (open them in Chrome DevTools).
 *
 * Flags: --calls N (per variant, default 20000), --top N (functions listed, default 15),
 * --variant NAME (repeatable; default: the warm DigestAuth and BasicAuth rows).
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuilt, pinClient, startServer } from './harness';
import { VARIANTS } from './variants';

function option(name: string): string[] {
  const values: string[] = [];
  process.argv.forEach((arg, at) => {
    if (arg === `--${name}` && at + 1 < process.argv.length) values.push(process.argv[at + 1]!);
  });
  return values;
}
const CALLS = Number(option('calls')[0] ?? 20_000);
const TOP = Number(option('top')[0] ?? 15);
const NAMES = option('variant').length ? option('variant') : ['DigestAuth (warm)', 'BasicAuth'];
const OUT = join(__dirname, '..', '.tmp', 'bench-profile');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The code a row is charged to: the package as built (frames from dist/), or for the
 * hand-written floors their interceptor in `variants.ts`, so that the two read side by side.
 */
const isOwn = (node: ProfileNode): boolean =>
  /[\\/]dist[\\/](cjs|esm)[\\/]|[\\/]bench[\\/]variants\.ts/.test(node.callFrame.url);

/** Frames of axios's adapter: what a call costs without this package, not charged to it. */
const ADAPTER = new Set(['httpAdapter', 'dispatchHttpRequest', 'wrapAsync', 'fetchAdapter']);

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*[\\/](dist[\\/](cjs|esm)|bench)[\\/]/, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Per package function: time with it as the nearest package frame on the stack (its own code
 * and the non-package code it calls), unless the adapter is between. Also the totals.
 */
function summarise(profile: Profile): {
  busy: number;
  idle: number;
  packageTotal: number;
  rows: [string, number, number][];
  leaves: [string, number][];
} {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const owner = new Map<number, ProfileNode | null>();
  const ownerOf = (id: number): ProfileNode | null => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    let found: ProfileNode | null;
    if (isOwn(node)) found = node;
    else if (ADAPTER.has(node.callFrame.functionName)) found = null;
    else {
      const up = parent.get(id);
      found = up === undefined ? null : ownerOf(up);
    }
    owner.set(id, found);
    return found;
  };

  const attributed = new Map<string, number>();
  const self = new Map<string, number>();
  const leaves = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let packageTotal = 0;
  profile.samples.forEach((id, at) => {
    const micros = profile.timeDeltas[at + 1] ?? 0;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle += micros;
      return;
    }
    busy += micros;
    const frame = ownerOf(id);
    if (!frame) return;
    packageTotal += micros;
    const key = label(frame);
    attributed.set(key, (attributed.get(key) ?? 0) + micros);
    if (frame === node) self.set(key, (self.get(key) ?? 0) + micros);
    const leaf = `${label(node)}  under  ${key}`;
    leaves.set(leaf, (leaves.get(leaf) ?? 0) + micros);
  });
  const rows = [...attributed]
    .map(([key, micros]): [string, number, number] => [key, micros, self.get(key) ?? 0])
    .sort((a, b) => b[1] - a[1]);
  const sorted = (map: Map<string, number>): [string, number][] =>
    [...map].sort((a, b) => b[1] - a[1]);
  return { busy, idle, packageTotal, rows, leaves: sorted(leaves) };
}

async function main(): Promise<void> {
  const pinned = pinClient();
  const server = await startServer();
  const session = new Session();
  session.connect();
  try {
    const built = loadBuilt();
    console.log(`profile: ${CALLS} warm calls per variant; ${server.placement}, ${pinned}`);
    mkdirSync(OUT, { recursive: true });
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    for (const name of NAMES) {
      const spec = VARIANTS.find((variant) => variant.name === name);
      if (!spec) throw new Error(`no variant named ${JSON.stringify(name)}`);
      const why = spec.unavailable?.(built);
      if (why) {
        console.log(`\nskipped: ${name} (${why})`);
        continue;
      }
      const instance = spec.client(built);
      const url = server.url + spec.path;
      for (let i = 0; i < 3000; i++) await instance.get(url);
      await session.post('Profiler.start');
      for (let i = 0; i < CALLS; i++) await instance.get(url);
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      const file = join(OUT, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));

      const { busy, idle, packageTotal, rows, leaves } = summarise(profile);
      const perCall = (micros: number): string => (micros / CALLS).toFixed(2).padStart(7);
      console.log(
        `\n${name}: busy ${perCall(busy)} µs/call (idle ${perCall(idle).trim()}), ` +
          `in the package and what it calls (adapter excluded) ${perCall(packageTotal).trim()} µs/call ` +
          `= ${((100 * packageTotal) / busy).toFixed(1)}% of busy; profile: ${file}`,
      );
      console.log(`  ${'µs/call'.padStart(7)} ${'self'.padStart(7)}  package function`);
      for (const [key, micros, own] of rows.slice(0, TOP)) {
        console.log(`  ${perCall(micros)} ${perCall(own)}  ${key}`);
      }
      console.log(
        `  ${'µs/call'.padStart(7)}  where the time is: the leaf frame, under which function`,
      );
      for (const [key, micros] of leaves.slice(0, TOP)) console.log(`  ${perCall(micros)}  ${key}`);
    }
  } finally {
    session.disconnect();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
