/**
 * The bench's machinery: the built package, the server child process, CPU pinning, and the
 * statistics. `run.ts` says what is measured; this file says how.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import http from 'node:http';
import type * as Package from '../src/index';
import { EXCHANGES_PATH } from './protocol';

/**
 * The built package, through its public CommonJS entry only (`npm run bench` builds it first):
 * the figures are those of the code users run, and internal module paths may change.
 * `BearerAuth` is looked up, not assumed: the table runs its row only where the build has it.
 */
export type Built = typeof Package & { BearerAuth?: unknown };
export function loadBuilt(): Built {
  const load = createRequire(__filename);
  return load(join(__dirname, '..', 'dist', 'cjs', 'index.js')) as Built;
}

/** `taskset`, when this machine has it and more than one core to split. */
function tasksetPath(): string | undefined {
  if (process.platform !== 'linux' || availableParallelism() < 2) return undefined;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}
const TASKSET = tasksetPath();
const CLIENT_CORE = 0;
const SERVER_CORE = 1;

/**
 * Pin every thread of this process (the client: main thread, GC helpers, libuv pool) to one
 * core, so that the server's work never lands on it. Says what it did.
 */
export function pinClient(): string {
  if (!TASKSET) return 'client not pinned (no taskset, or one core)';
  try {
    execFileSync(TASKSET, ['-a', '-p', '-c', String(CLIENT_CORE), String(process.pid)], {
      stdio: 'ignore',
    });
    return `client pinned to core ${CLIENT_CORE}`;
  } catch {
    return 'client not pinned (taskset failed)';
  }
}

export interface BenchServer {
  url: string;
  /** How the server process was started (pinned or not). */
  placement: string;
  /** Exchanges the server has answered so far (the control request itself is not counted). */
  exchanges(): Promise<number>;
  close(): Promise<void>;
}

/** Start `server.ts` in a child process, on its own core where `taskset` exists. */
export async function startServer(): Promise<BenchServer> {
  const node = [process.execPath, '--import', 'tsx', join(__dirname, 'server.ts')];
  const [command, ...args] = TASKSET ? [TASKSET, '-c', String(SERVER_CORE), ...node] : node;
  const child: ChildProcess = spawn(command!, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: join(__dirname, '..'),
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(Number(line));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  // The control request has its own connection, never one of a variant's.
  const control = new http.Agent({ keepAlive: false });
  return {
    url,
    placement: TASKSET
      ? `server in a child process pinned to core ${SERVER_CORE}`
      : 'server in a child process (not pinned)',
    exchanges: () =>
      new Promise<number>((resolve, reject) => {
        http
          .get(url + EXCHANGES_PATH, { agent: control }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve(Number(body)));
          })
          .on('error', reject);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill(), 2000).unref();
      }),
  };
}

/** The indices 0..n-1 in a random order (Fisher–Yates), drawn afresh in each process. */
export function drawnOrder(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * One item per index, made in the drawn `order` (which variant's client is made first matters:
 * see run.ts) and returned in index order, the order of the table.
 */
export function makeInOrder<T>(order: readonly number[], make: (index: number) => T): T[] {
  const made = new Array<T>(order.length);
  for (const index of order) made[index] = make(index);
  return made;
}

export const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** What one segment (one variant, one round) cost, per request. */
export interface Sample {
  /** The client's CPU (user + system, every thread of this process), µs per request. */
  cpu: number;
  /** Wall time, µs per request. */
  wall: number;
}

/**
 * Run `count` sequential calls and measure them. No collection is forced first: on this VM a
 * forced full collection before each segment made the next 400 calls about 40% dearer (roughly
 * 350 against 250 µs per bare axios call) and made every second place in a round about 10%
 * dearer than the others, with identical clients in every place. The collections a variant's
 * own allocations cause fall inside its segments, as they do for a user.
 */
export async function measure(call: () => Promise<unknown>, count: number): Promise<Sample> {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  const wallNs = Number(process.hrtime.bigint() - wallStart);
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: (cpu.user + cpu.system) / count, wall: wallNs / 1000 / count };
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const best = (values: readonly number[]): number => Math.min(...values);

/**
 * A 95% confidence interval of the median, from order statistics (no assumption about the
 * distribution): the ranks n/2 ± 1.96·√n/2 of the sorted values. With 75 rounds that is about
 * the 39th ± 8th value; a ratio whose whole interval is under its target is met, whatever one
 * noisy round says.
 */
export function medianInterval(values: readonly number[]): { low: number; high: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const spread = (1.96 * Math.sqrt(n)) / 2;
  const low = Math.max(0, Math.floor(n / 2 - spread));
  const high = Math.min(n - 1, Math.ceil(n / 2 + spread) - 1);
  return { low: sorted[low]!, high: sorted[high]! };
}

/**
 * Round-by-round ratios of a variant to its baseline: both ran in the same round, seconds apart
 * at most, so drift of the machine cancels out of each ratio.
 */
export function pairedRatios(values: readonly number[], baseline: readonly number[]): number[] {
  return values.map((value, round) => value / baseline[round]!);
}

/** Round-by-round differences of a variant to its baseline (µs), paired as `pairedRatios`. */
export function pairedDifferences(
  values: readonly number[],
  baseline: readonly number[],
): number[] {
  return values.map((value, round) => value - baseline[round]!);
}
