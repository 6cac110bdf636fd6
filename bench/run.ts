/**
 * `npm run bench`: what axios-auth-flow costs over bare axios, all in one run.
 *
 * A keep-alive HTTP server on 127.0.0.1 in this process answers each GET at once. Each variant
 * (bare axios; withAuth and no auth; BasicAuth; a function; warm DigestAuth) makes the same
 * sequential GETs in several rounds, the variants interleaved inside each round so that drift of
 * the machine hits all of them alike. Printed: CPU µs per request (best and median round) and the
 * ratio to bare axios; the heap retained after the rounds; exchanges per Digest call
 * (sequential, and concurrent cold calls); and the time to parse a 1 MB WWW-Authenticate header.
 *
 * The server does not verify digests (it accepts any `Digest` header): the figure is the
 * client's cost. Correctness is the tests' job, not this file's.
 *
 * Flags: --requests N (per variant per round, default 10000), --rounds N (default 9).
 */
import axios, { type AxiosAdapter, type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Package from '../src/index';
import type * as ChallengeModule from '../src/challenge';

/**
 * The built package (`npm run bench` builds it first), so that the figures are those of the code
 * users run, not of the sources as a TypeScript loader rewrites them.
 */
const load = createRequire(__filename);
function built<T>(module: string): T {
  return load(join(__dirname, '..', 'dist', 'cjs', `${module}.js`)) as T;
}
const { BasicAuth, DigestAuth, withAuth } = built<typeof Package>('index');
const { parseChallenges } = built<typeof ChallengeModule>('challenge');
type AuthRequest = Package.AuthRequest;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const REQUESTS = flag('requests', 10_000);
const ROUNDS = flag('rounds', 9);

const CHALLENGE =
  'Digest realm="bench@example.org", qop="auth", algorithm=SHA-256, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

async function startServer(): Promise<{
  url: string;
  count: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    if (req.url?.startsWith('/digest') && !req.headers.authorization?.startsWith('Digest ')) {
      res.writeHead(401, { 'WWW-Authenticate': CHALLENGE, 'Content-Length': '0' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '11' });
    res.end('{"ok":true}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function client(): AxiosInstance {
  return axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) });
}

interface Variant {
  name: string;
  instance: AxiosInstance;
  path: string;
  /** Wall-clock µs per request, one per round. */
  samples: number[];
  /** CPU µs (user + system, this process: client and server) per request, one per round. */
  cpu: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One round of one variant. CPU time is the steadier figure on a shared machine: other
 * processes stretch the wall clock but not this process's CPU time.
 */
async function timeRound(variant: Variant, base: string): Promise<void> {
  const url = base + variant.path;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await variant.instance.get(url);
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  variant.samples.push((wall * 1000) / REQUESTS);
  variant.cpu.push((cpu.user + cpu.system) / REQUESTS);
}

/** The same five variants over a given transport (a keep-alive agent, or the no-network adapter). */
function makeVariants(transport: () => CreateAxiosDefaults): Variant[] {
  const variant = (name: string, instance: AxiosInstance, path = '/plain'): Variant => ({
    name,
    instance,
    path,
    samples: [],
    cpu: [],
  });
  return [
    variant('bare axios', axios.create(transport())),
    variant('withAuth, no auth', withAuth(axios.create(transport()))),
    variant(
      'withAuth + BasicAuth',
      withAuth(axios.create({ ...transport(), auth: new BasicAuth('user', 'secret') })),
    ),
    variant(
      'withAuth + function',
      withAuth(
        axios.create({
          ...transport(),
          auth: (request: AuthRequest) => {
            request.headers.set('X-Api-Key', 'key');
            return request;
          },
        }),
      ),
    ),
    variant(
      'withAuth + DigestAuth (warm)',
      withAuth(axios.create({ ...transport(), auth: new DigestAuth('user', 'secret') })),
      '/digest',
    ),
  ];
}

/**
 * An adapter that answers at once, as the bench server would, with no network: what remains of
 * a call's time is the client's own work (axios's pipeline, and ours on top of it).
 */
const noNetworkAdapter: AxiosAdapter = (config) => {
  const challenge =
    config.url?.includes('/digest') &&
    !String(config.headers.get('Authorization')).startsWith('Digest ');
  return Promise.resolve({
    data: challenge ? '' : '{"ok":true}',
    status: challenge ? 401 : 200,
    statusText: challenge ? 'Unauthorized' : 'OK',
    headers: challenge ? { 'www-authenticate': CHALLENGE } : { 'content-type': 'application/json' },
    config,
    request: {},
    history: [],
  });
};

async function main(): Promise<void> {
  const server = await startServer();
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    `axios-auth-flow bench: ${REQUESTS} sequential GETs x ${ROUNDS} rounds per variant, keep-alive, 127.0.0.1`,
  );
  console.log(
    `node ${process.version}, axios ${axios.VERSION}${gc ? '' : ' (run with --expose-gc for heap figures)'}\n`,
  );

  const variants = makeVariants(() => ({ httpAgent: new http.Agent({ keepAlive: true }) }));

  // Warm-up: JIT, sockets, and the Digest challenge cached.
  for (const variant of variants) {
    for (let i = 0; i < 500; i++) await variant.instance.get(server.url + variant.path);
  }
  const heapBefore = gc ? (gc(), process.memoryUsage().heapUsed) : 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no variant always runs first or last.
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length]!;
      await timeRound(variant, server.url);
    }
  }
  const heapAfter = gc ? (gc(), process.memoryUsage().heapUsed) : 0;

  // The best round is the steadiest estimate on a shared machine: interference from other
  // processes only ever adds time. The median is printed beside it.
  const best = (values: number[]): number => Math.min(...values);
  const bareBest = best(variants[0]!.cpu);
  const bareMedian = median(variants[0]!.cpu);
  const bareWall = median(variants[0]!.samples);
  console.log(
    'variant                         CPU µs/req best  ratio    median  ratio    wall median  ratio',
  );
  for (const variant of variants) {
    const cpuBest = best(variant.cpu);
    const cpuMedian = median(variant.cpu);
    const wall = median(variant.samples);
    console.log(
      `${variant.name.padEnd(30)} ${cpuBest.toFixed(1).padStart(10)}     ${(cpuBest / bareBest).toFixed(3)}x ` +
        `${cpuMedian.toFixed(1).padStart(8)}  ${(cpuMedian / bareMedian).toFixed(3)}x ` +
        `${wall.toFixed(1).padStart(10)}   ${(wall / bareWall).toFixed(3)}x`,
    );
  }
  console.log('(ratios are to bare axios; CPU is this process: client and server)');

  // The client's own cost, with no network: the difference to bare axios is what this package
  // adds to every call, whatever the server and the network cost.
  const offline = makeVariants(() => ({ adapter: noNetworkAdapter }));
  for (const variant of offline) {
    for (let i = 0; i < 2000; i++)
      await variant.instance.get(`http://bench.invalid${variant.path}`);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < offline.length; k++) {
      const variant = offline[(round + k) % offline.length]!;
      await timeRound(variant, 'http://bench.invalid');
    }
  }
  const offlineBare = best(offline[0]!.cpu);
  console.log(
    '\nno network (an adapter that answers at once): CPU µs per call, best round, and what it adds',
  );
  for (const variant of offline) {
    const cpu = best(variant.cpu);
    const added = cpu - offlineBare;
    console.log(
      `${variant.name.padEnd(30)} ${cpu.toFixed(1).padStart(8)}   +${added.toFixed(1).padStart(5)} µs` +
        `   = ${((100 * added) / bareBest).toFixed(1).padStart(4)}% of a bare loopback call`,
    );
  }
  if (gc) {
    const total = REQUESTS * ROUNDS * variants.length;
    console.log(
      `\nheap retained after ${total} calls: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB`,
    );
  }

  // Exchanges per Digest call.
  const sequential = withAuth(client());
  const auth = new DigestAuth('user', 'secret');
  let before = server.count();
  for (let i = 0; i < 100; i++) await sequential.get(`${server.url}/digest/seq`, { auth });
  console.log(
    `\nDigest, 100 sequential calls, fresh DigestAuth: ${server.count() - before} exchanges`,
  );

  const concurrent = withAuth(
    axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  );
  const shared = new DigestAuth('user', 'secret');
  before = server.count();
  await Promise.all(
    Array.from({ length: 1000 }, () =>
      concurrent.get(`${server.url}/digest/cold`, { auth: shared }),
    ),
  );
  console.log(
    `Digest, 1000 concurrent cold calls, one DigestAuth: ${server.count() - before} exchanges`,
  );

  // WWW-Authenticate parsing is linear: time per MB stays flat as the header grows (many
  // challenges with long quoted values and escapes). Best of several runs, after a collection.
  const unit =
    'Digest realm="a\\"b,c", nonce="' +
    'n'.repeat(200) +
    '", qop="auth,auth-int", algorithm=SHA-256, ';
  const sizes: string[] = [];
  for (const megabytes of [0.25, 0.5, 1, 2]) {
    const header = unit.repeat(Math.ceil((megabytes * 1e6) / unit.length)).slice(0, -2);
    let ms = Infinity;
    let count = 0;
    for (let run = 0; run < 7; run++) {
      gc?.();
      const start = performance.now();
      count = parseChallenges(header).length;
      ms = Math.min(ms, performance.now() - start);
    }
    sizes.push(
      `${megabytes} MB (${count} challenges) ${ms.toFixed(1)} ms = ${(ms / megabytes).toFixed(1)} ms/MB`,
    );
  }
  console.log(`\nWWW-Authenticate parsing: ${sizes.join('; ')}`);

  await server.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
