/**
 * The same variants as the rounds over the network, with an instant adapter in place of the
 * network: what the package's own code adds to axios's pipeline per call, with none of the
 * socket, parser and event-loop work around it. It is a low-noise figure (a few tenths of a
 * microsecond within a run, up to half a microsecond from run to run), and a lower bound: on a
 * real call the same code runs between the network stack's work, with cold caches, and costs
 * several times as much.
 *
 * The adapter answers as the bench server does (`protocol.ts`: a 401 with the path's challenge
 * without the right scheme, else 200) and settles as axios's adapters do, by `validateStatus`.
 */
import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { makeInOrder, median, medianInterval, pairedDifferences, type Built } from './harness';
import { OK_BODY, PROTECTED } from './protocol';
import type { VariantSpec } from './variants';

const instantAdapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
  const path = new URL(config.url ?? '/', 'http://bench.invalid').pathname;
  const rule = PROTECTED.find((entry) => path.startsWith(entry.prefix));
  // axios's own `auth` option is turned into Basic by the adapter (the http adapter hands it to
  // Node's http client): this one does the same.
  const own = config.auth;
  const authorization = String(
    config.headers.get('Authorization') ??
      (own ? `Basic ${btoa(`${own.username}:${own.password}`)}` : ''),
  );
  const refused = rule !== undefined && !authorization.startsWith(`${rule.scheme} `);
  // As an adapter gives it: no `history` yet (the driver adds it).
  const response = {
    status: refused ? 401 : 200,
    statusText: refused ? 'Unauthorized' : 'OK',
    headers: new AxiosHeaders(refused ? { 'WWW-Authenticate': rule.challenge } : {}),
    data: refused ? '' : OK_BODY,
    config,
    request: {},
  } as AxiosResponse;
  const { validateStatus } = config;
  if (!validateStatus || validateStatus(response.status)) return Promise.resolve(response);
  return Promise.reject(
    new AxiosError(
      `Request failed with status code ${response.status}`,
      AxiosError.ERR_BAD_REQUEST,
      config,
      response.request,
      response,
    ),
  );
};

/**
 * Rounds in the orders of `orders` (see run.ts), `calls` calls per variant per round; the
 * variants are made and warmed up in the order `setup` that run.ts drew.
 */
export async function benchInProcess(
  built: Built,
  specs: readonly VariantSpec[],
  orders: number[][],
  setup: readonly number[],
  calls = 2000,
): Promise<void> {
  const variants = makeInOrder(setup, (at) => {
    const spec = specs[at]!;
    const instance = spec.client(built);
    instance.defaults.adapter = instantAdapter;
    const url = `http://127.0.0.1${spec.path}`;
    return { spec, call: () => instance.get(url), samples: [] as number[] };
  });
  for (const at of setup) for (let i = 0; i < calls; i++) await variants[at]!.call();
  for (const order of orders) {
    for (const index of order) {
      const variant = variants[index]!;
      const start = process.cpuUsage();
      for (let i = 0; i < calls; i++) await variant.call();
      const used = process.cpuUsage(start);
      variant.samples.push((used.user + used.system) / calls);
    }
  }
  console.log(
    `\nIn process: the same variants with an instant adapter instead of the network, ` +
      `${orders.length} rounds x ${calls} calls; client CPU µs/call, and what the variant adds ` +
      'to its baseline (median of the paired rounds, 95% interval)',
  );
  const byName = new Map(variants.map((variant) => [variant.spec.name, variant]));
  for (const variant of variants) {
    const base = variant.spec.baseline ? byName.get(variant.spec.baseline) : undefined;
    let added = '';
    if (base) {
      const differences = pairedDifferences(variant.samples, base.samples);
      const interval = medianInterval(differences);
      added =
        `${signed(median(differences))} µs [${signed(interval.low)} to ${signed(interval.high)}]` +
        ` vs ${base.spec.name}`;
    }
    console.log(
      `  ${variant.spec.name.padEnd(30)} ${median(variant.samples).toFixed(2).padStart(7)}   ${added}`,
    );
  }
}

const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
