/**
 * `npm run bench`: what axios-auth-flow costs a client, all in one run.
 *
 * The server runs in a child process (`server.ts`), pinned to one core with `taskset` where it
 * exists, and this process (the client) to the other, so the CPU this process uses is the
 * client's own. Each variant of `variants.ts` makes the same sequential keep-alive GETs, in
 * segments of --requests calls; every round runs every variant once, in orders that balance
 * where each variant runs and which one it follows (`roundOrders`).
 *
 * Printed per variant: the client's CPU per call (`process.cpuUsage()`, user + system: the
 * main figure) and wall time per call, median and best round, and the ratio to its baseline:
 * the median of the round-by-round ratios, with its 95% confidence interval. Rounds are short
 * (a few seconds for all variants), so a variant and its baseline run seconds apart and the
 * drift of a shared machine mostly cancels out of each ratio; many rounds narrow the interval.
 * A target is met when the whole interval is under it, missed when the whole interval is over
 * it, and otherwise too close to call on this run. Bare axios runs twice as two variants (A and
 * A'): their ratio, which should be 1, shows what the interval is worth on this machine.
 * Then: the heap retained after the rounds, the same variants with an instant adapter instead of
 * the network (`in-process.ts`: what the package's code adds, without the noise of the network),
 * exchanges per Digest call (sequential and 1000 concurrent cold calls), and WWW-Authenticate
 * parse time per MB for hostile header shapes.
 *
 * Flags: --requests N (per variant per round, default 400), --rounds N (default: three cycles,
 * 78 rounds for 13 variants; see ROUNDS_ASKED),
 * --warmup N (calls per variant before the rounds, default 2000), --only A,B (the variants whose
 * names contain A or B, with their baselines and the A/A control; the checks below still run),
 * --runs N (the rounds in N processes, each ratio over the runs: see RUNS).
 */
import axios from 'axios';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import {
  best,
  drawnOrder,
  gc,
  loadBuilt,
  makeInOrder,
  measure,
  median,
  medianInterval,
  pairedRatios,
  pinClient,
  startServer,
  type BenchServer,
  type Built,
  type Sample,
} from './harness';
import { benchInProcess } from './in-process';
import { measureParsing } from './parse';
import { benchTokens } from './tokens';
import { VARIANTS, type VariantSpec } from './variants';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const REQUESTS = flag('requests', 400);
/**
 * A segment's cost depends on where it runs: some places in a round were measured up to 15%
 * dearer on this VM, and a segment also pays for collections of garbage the segment before it
 * left. So the orders form a Williams design: over 2 × (variants) rounds every variant holds
 * every place twice and, within a round, follows every other variant twice, whatever the number
 * of variants (`roundOrders`). Without it a variant always ran after the same neighbours. The default is
 * three such cycles; `--rounds` is rounded up to whole cycles.
 */
const ROUNDS_ASKED = flag('rounds', 0);
/** `--only Digest,Bearer`: the variants whose names hold one of these, with their baselines. */
const ONLY = process.argv.includes('--only')
  ? (process.argv[process.argv.indexOf('--only') + 1] ?? '').split(',').filter(Boolean)
  : undefined;
const WARMUP = flag('warmup', 2000);
/**
 * `--runs N`: the rounds in N client processes one after the other, and each ratio as the median
 * of the N runs' ratios, judged as one run's ratio is (`judge`) on the 95% interval of that
 * median. A process carries a bias of its own: two identical bare clients differ by up to 3–5%
 * in one process and by something else in the next, and so does any variant, so a ratio is
 * only as good as the number of processes behind it (the README quotes twelve; even then the
 * interval of the median is 1–5% wide; with fewer than six runs it is their whole range). Only
 * the ratio table is printed then (the other figures do not depend on it), with each run's ratio.
 */
const RUNS = flag('runs', 1);
/** Set on the child processes of `--runs`: print the ratios as one JSON line, nothing else. */
const RATIOS_ONLY = process.argv.includes('--ratios-only');
const RATIOS_MARK = 'bench-ratios ';

interface Variant extends VariantSpec {
  call: () => Promise<unknown>;
  samples: Sample[];
}

async function main(): Promise<void> {
  if (RUNS > 1 && !RATIOS_ONLY) {
    combineRuns(RUNS);
    return;
  }
  const pinned = pinClient();
  const server = await startServer();
  try {
    await bench(server, pinned);
  } finally {
    await server.close();
  }
  if (RATIOS_ONLY) return;
  // Token auth under a refresh storm, ours beside axios-auth-refresh (its own servers).
  await benchTokens();
}

/** `--runs N`: run the rounds in N child processes and print each ratio over the runs. */
function combineRuns(runs: number): void {
  const args = process.argv
    .slice(2)
    .filter((arg, at, all) => arg !== '--runs' && all[at - 1] !== '--runs');
  const perRun: Record<string, number>[] = [];
  for (let run = 1; run <= runs; run++) {
    process.stderr.write(`run ${run}/${runs}\n`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, ...args, '--ratios-only'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    const line = child.stdout.split('\n').find((text) => text.startsWith(RATIOS_MARK));
    if (child.status !== 0 || !line)
      throw new Error(`bench run ${run} failed (exit ${child.status})`);
    perRun.push(JSON.parse(line.slice(RATIOS_MARK.length)) as Record<string, number>);
  }
  console.log(
    `client CPU ratio to baseline over ${runs} runs (each the median of its paired rounds), ` +
      (runs < 6
        ? 'the median of the runs and their range (too few runs for a 95% interval)'
        : 'the median of the runs with its 95% interval'),
  );
  console.log(
    `${pad('variant', 30)} ${pad('vs', 28)}  median ${pad(runs < 6 ? '[range]' : '[95% interval]', 14)}   target`,
  );
  const rows: string[] = [];
  for (const spec of selected(VARIANTS)) {
    const ratios = perRun.map((run) => run[spec.name]).filter((r): r is number => r !== undefined);
    if (!spec.baseline || ratios.length === 0) continue;
    const ratio = median(ratios);
    const interval = medianInterval(ratios);
    const met = typeof spec.target === 'number' ? spec.target : undefined;
    const verdict =
      met === undefined
        ? (spec.target ?? '')
        : `≤ ${met.toFixed(2)}x ${judge(ratio, interval, met)} ` +
          `(${ratios.filter((r) => r <= met).length} of ${ratios.length} runs under it)`;
    console.log(
      `${pad(spec.name, 30)} ${pad(spec.baseline, 28)} ${num(ratio, 7, 3)}x ` +
        `[${interval.low.toFixed(3)}-${interval.high.toFixed(3)}]  ${verdict}`,
    );
    rows.push(`${pad(spec.name, 30)} ${ratios.map((r) => r.toFixed(3)).join(' ')}`);
  }
  console.log("\neach run's ratio, in the order of the runs:");
  for (const row of rows) console.log(row);
}

/** The variants to run: all, or those `--only` names, their baselines and the A/A pair. */
function selected(specs: readonly VariantSpec[]): VariantSpec[] {
  if (!ONLY) return [...specs];
  const wanted = new Set<string>();
  for (const spec of specs) {
    if (spec.target === 'A/A control' || ONLY.some((part) => spec.name.includes(part))) {
      wanted.add(spec.name);
      if (spec.baseline) wanted.add(spec.baseline);
    }
  }
  return specs.filter((spec) => wanted.has(spec.name));
}

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;

async function bench(server: BenchServer, pinned: string): Promise<void> {
  const built = loadBuilt();
  console.log(
    `axios-auth-flow bench: node ${process.version}, axios ${axios.VERSION}; ` +
      `${server.placement}, ${pinned}`,
  );
  const specs = selected(VARIANTS).filter((spec) => {
    const why = spec.unavailable?.(built);
    if (why) console.log(`skipped: ${spec.name} (${why})`);
    return !why;
  });
  // Which variant comes first, and which index it has in the orders below, is drawn afresh in
  // each process. With the list's order every time, bare axios (A) was made, warmed up and
  // placed first in every run, and came out about 1% cheaper than its identical copy (A') in
  // three of four twelve-run batches: a bias of the place, not of the code. Drawn, it is noise
  // that `--runs` averages.
  const setup = drawnOrder(specs.length);
  const variants = makeInOrder(setup, (at): Variant => {
    const spec = specs[at]!;
    const instance = spec.client(built);
    const url = server.url + spec.path;
    return { ...spec, call: () => instance.get(url), samples: [] };
  });

  const orders = roundOrders(variants.length).map((row) => row.map((index) => setup[index]!));
  const cycle = orders.length;
  const rounds = ROUNDS_ASKED > 0 ? Math.ceil(ROUNDS_ASKED / cycle) * cycle : 3 * cycle;
  console.log(
    `${rounds} rounds x ${REQUESTS} sequential keep-alive GETs per variant, 127.0.0.1, ` +
      `after ${WARMUP} warm-up calls each${gc ? '' : ' (run with --expose-gc for heap figures)'}\n`,
  );

  // Warm-up: JIT, sockets, the Digest challenge learnt. Any non-2xx throws here, so a variant
  // that does not authenticate stops the bench instead of timing 401s.
  for (const at of setup) {
    for (let i = 0; i < WARMUP; i++) await variants[at]!.call();
  }

  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const exchangesBefore = await server.exchanges();
  for (let round = 0; round < rounds; round++) {
    const order = orders[round % orders.length]!.map((index) => variants[index]!);
    for (const variant of order) variant.samples.push(await measure(variant.call, REQUESTS));
    if ((round + 1) % 5 === 0 || round + 1 === rounds) {
      process.stderr.write(`round ${round + 1}/${rounds} done, ${elapsed()}\n`);
    }
  }
  const exchanges = (await server.exchanges()) - exchangesBefore;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const noise = printTable(variants);
  if (RATIOS_ONLY) {
    const byName = new Map(variants.map((variant) => [variant.name, variant]));
    const ratios: Record<string, number> = {};
    for (const variant of variants) {
      const base = variant.baseline ? byName.get(variant.baseline) : undefined;
      if (!base) continue;
      ratios[variant.name] = median(ratiosOf(variant, base, 'cpu'));
    }
    console.log(RATIOS_MARK + JSON.stringify(ratios));
    return;
  }
  const calls = rounds * REQUESTS * variants.length;
  console.log(
    `\nexchanges during the rounds: ${exchanges} for ${calls} calls` +
      (exchanges === calls
        ? ' (one each: every warm call authenticated at once)'
        : ' (NOT one each)'),
  );
  if (gc) {
    console.log(
      `heap retained after ${calls} calls: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB`,
    );
  }
  console.log(
    `A/A control: bare axios against itself ${noise.median.toFixed(3)}x ` +
      `[${noise.low.toFixed(3)}-${noise.high.toFixed(3)}] (median of ${rounds} paired rounds, 95% ` +
      'interval); an interval that holds 1 here says the intervals above can be trusted.',
  );

  await benchInProcess(built, variants, orders, setup);
  await printExchanges(built, server);
  printParsing(built);
}

/**
 * The orders of one cycle, 2n of them: a Williams square (rows `k, k+1, k-1, k+2, k-2, …` mod n)
 * and its rows reversed. Each variant holds each place once in the square and once in its
 * reverse. Within a round, for an even n the square has every ordered pair of neighbours once and
 * the reversed rows once more; for an odd n the square has half the pairs twice and the reversed
 * rows the other half twice. Either way each variant follows each other variant twice per cycle
 * (the first of a round follows the last of the round before, which is not balanced).
 */
function roundOrders(n: number): number[][] {
  const first = Array.from({ length: n }, (_, i) =>
    i === 0 ? 0 : i % 2 === 1 ? (i + 1) / 2 : n - i / 2,
  );
  const square = Array.from({ length: n }, (_, k) => first.map((v) => (v + k) % n));
  return [...square, ...square.map((row) => [...row].reverse())];
}

const pad = (text: string, width: number): string => text.padEnd(width);
const num = (value: number, width: number, digits = 1): string =>
  value.toFixed(digits).padStart(width);

/** A variant's round-by-round ratios to its baseline, for CPU or wall time. */
function ratiosOf(variant: Variant, base: Variant, key: 'cpu' | 'wall'): number[] {
  return pairedRatios(
    variant.samples.map((sample) => sample[key]),
    base.samples.map((sample) => sample[key]),
  );
}

/** The results table; returns the A/A figures for the control line. */
function printTable(variants: Variant[]): { median: number; low: number; high: number } {
  const byName = new Map(variants.map((variant) => [variant.name, variant]));
  const control = variants.find((variant) => variant.target === 'A/A control');
  const controlBase = control && byName.get(control.baseline!);
  const controlRatios = control && controlBase ? ratiosOf(control, controlBase, 'cpu') : [1];
  const noise = { median: median(controlRatios), ...medianInterval(controlRatios) };

  console.log(
    `${pad('variant', 30)} ${pad('vs', 28)}  client CPU µs/call   ratio to baseline` +
      '           wall µs/call     target',
  );
  console.log(
    `${pad('', 30)} ${pad('', 28)}  median    best     median [95% interval]     median  ratio`,
  );
  for (const variant of variants) {
    const cpu = variant.samples.map((s) => s.cpu);
    const wall = variant.samples.map((s) => s.wall);
    const base = variant.baseline ? byName.get(variant.baseline) : undefined;
    let ratios = ' '.repeat(26);
    let wallRatio = ' '.repeat(6);
    let verdict = '';
    if (base) {
      const paired = ratiosOf(variant, base, 'cpu');
      const ratio = median(paired);
      const interval = medianInterval(paired);
      ratios = `${num(ratio, 7, 3)}x [${interval.low.toFixed(3)}-${interval.high.toFixed(3)}]`;
      wallRatio = `${num(median(ratiosOf(variant, base, 'wall')), 5, 3)}x`;
      verdict =
        typeof variant.target === 'number'
          ? `≤ ${variant.target.toFixed(2)}x ${judge(ratio, interval, variant.target)}`
          : (variant.target ?? '');
    }
    console.log(
      `${pad(variant.name, 30)} ${pad(variant.baseline ?? '(baseline)', 28)} ` +
        `${num(median(cpu), 7)} ${num(best(cpu), 7)}   ${ratios}  ${num(median(wall), 7)} ${wallRatio}  ${verdict}`,
    );
  }
  return noise;
}

/** Met: the whole interval is under the target; missed: all of it is over; else too close. */
function judge(ratio: number, interval: { low: number; high: number }, target: number): string {
  if (interval.high <= target) return 'met';
  if (interval.low > target) return `missed (by ${((ratio - target) * 100).toFixed(1)}%)`;
  return 'too close to call';
}

/** Exchanges per Digest call: N sequential calls cost N+1; N concurrent cold calls too. */
async function printExchanges(built: Built, server: BenchServer): Promise<void> {
  const client = built.withAuth(
    axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  );
  const sequential = new built.DigestAuth('user', 'secret');
  let before = await server.exchanges();
  for (let i = 0; i < 100; i++) {
    await client.get(`${server.url}/digest/sequential`, { auth: sequential });
  }
  let count = (await server.exchanges()) - before;
  console.log(
    `\nDigest, 100 sequential calls, fresh DigestAuth: ${count} exchanges (expected 101)`,
  );

  const shared = new built.DigestAuth('user', 'secret');
  before = await server.exchanges();
  await Promise.all(
    Array.from({ length: 1000 }, () => client.get(`${server.url}/digest/cold`, { auth: shared })),
  );
  count = (await server.exchanges()) - before;
  console.log(
    `Digest, 1000 concurrent cold calls, one DigestAuth: ${count} exchanges (expected 1001)`,
  );
}

function printParsing(built: Built): void {
  const figures = measureParsing(built.parseChallenges, [0.5, 2]);
  console.log('\nWWW-Authenticate parsing (parseChallenges), CPU time, best of 5:');
  let worst = figures[0]!;
  for (const figure of figures) {
    const perMb = figure.ms / figure.megabytes;
    if (perMb > worst.ms / worst.megabytes) worst = figure;
    console.log(
      `  ${pad(figure.shape, 36)} ${num(figure.megabytes, 5, 2)} MB ${num(figure.ms, 7)} ms ` +
        `= ${num(perMb, 6)} ms/MB  (${figure.challenges} challenges)`,
    );
  }
  console.log(`  worst shape: ${worst.shape}, ${(worst.ms / worst.megabytes).toFixed(1)} ms/MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
