/**
 * The package in a real browser: Debian's headless Chromium runs the ESM build, bundled with
 * axios's browser build, in a page whose origin differs from the API server's, so every call
 * goes through CORS. Each case of cases.ts runs through both of axios's browser adapters, and
 * the test checks what the page got (status, history, errors) against what the server saw
 * (requests, headers, bodies, and its own verdict on each digest).
 */
import { relative, sep } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ensureBuilt, repo } from '../package/dist';
import {
  ALLOWED_HEADERS,
  basicRoute,
  headerRoute,
  movedTokenRoute,
  tokenRoute,
  startApiServer,
  type ApiServer,
  type SeenRequest,
} from '../support/browser/api-server';
import { launchChromium, type Chromium } from '../support/browser/chromium';
import { digestRoute } from '../support/browser/digest-verifier';
import type { Adapter, PageCall, PageGlobals } from '../support/browser/page';
import { bundlePage, pageRoute, type PageBundle } from '../support/browser/page-bundle';
import { browserCases, type BrowserCase, type ServerSaw } from './cases';

const ADAPTERS: Adapter[] = ['xhr', 'fetch'];

let bundle: PageBundle;
let chromium: Chromium | undefined;
let pageServer: ApiServer | undefined;
let api: ApiServer | undefined;
let page: Page;

beforeAll(async () => {
  ensureBuilt();
  bundle = await bundlePage();
  pageServer = await startApiServer([pageRoute(bundle)]);
  api = await startApiServer([basicRoute, digestRoute(), headerRoute, movedTokenRoute, tokenRoute]);
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${pageServer.origin}/`);
  // The script ran and registered its runner, without an error.
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).runCase)).toBe(
    'function',
  );
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await pageServer?.close();
  await api?.close();
});

beforeEach(() => api!.reset());

describe('the page script', () => {
  test('is the ESM build of the package with axios, and imports no Node built-in', () => {
    const inputs = Object.keys(bundle.metafile.inputs).map((input) =>
      relative(repo, input.replace(/^.*?node_modules[/\\]axios-auth-flow[/\\]/, `${repo}${sep}`)),
    );
    expect(inputs).toContain(['dist', 'esm', 'index.js'].join(sep));
    expect(
      inputs.filter((input) => input.startsWith(`src${sep}`) || input.includes(`dist${sep}cjs`)),
    ).toEqual([]);
    expect(
      inputs.some((input) => input.includes(['axios', 'lib', 'platform', 'browser'].join(sep))),
    ).toBe(true);
    expect(
      inputs.filter((input) => input.includes(['axios', 'lib', 'platform', 'node'].join(sep))),
    ).toEqual([]);
    expect(bundle.builtins).toEqual([]);
  });

  test('runs in a page whose origin is not the API server’s', async () => {
    expect(new URL(pageServer!.origin).port).not.toBe(new URL(api!.origin).port);
    expect(await page.evaluate(() => location.origin)).toBe(pageServer!.origin);
  });
});

function expectServerSaw(seen: SeenRequest[], expected: ServerSaw[], method: string): void {
  expect(seen.map((request) => request.verdict)).toEqual(expected.map((saw) => saw.verdict));
  expected.forEach((saw, i) => {
    const request = seen[i]!;
    expect(request.method).toBe(saw.method ?? method);
    for (const [name, value] of Object.entries(saw.headers ?? {})) {
      const received = request.headers[name];
      if (value === null) expect({ [name]: received }).toEqual({ [name]: undefined });
      else if (value instanceof RegExp)
        expect({ [name]: received }).toEqual({ [name]: expect.stringMatching(value) });
      else expect({ [name]: received }).toEqual({ [name]: value });
    }
    if (saw.body !== undefined) expect(request.body.toString('utf8')).toBe(saw.body);
  });
}

/** The Content-Types that the Fetch standard lets through without a preflight. */
const SIMPLE_CONTENT_TYPE =
  /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/;

/**
 * The headers a request carried that the Fetch standard does not let through without a
 * preflight, as Chromium lists them in Access-Control-Request-Headers ('' for a simple request).
 */
function unsafeHeaders({ headers }: SeenRequest): string {
  return ALLOWED_HEADERS.map((name) => name.toLowerCase())
    .filter((name) => headers[name] !== undefined)
    .filter((name) => name !== 'content-type' || !SIMPLE_CONTENT_TYPE.test(headers[name]!))
    .sort()
    .join(',');
}

async function run(entry: BrowserCase, adapter: Adapter): Promise<PageCall[]> {
  return page.evaluate(
    (name, adapterName, baseURL) =>
      (globalThis as unknown as PageGlobals).runCase(name, adapterName, baseURL),
    entry.name,
    adapter,
    api!.origin,
  );
}

describe.each(ADAPTERS)('in Chromium, with the %s adapter', (adapter) => {
  test.each(browserCases.map((entry) => [entry.name, entry] as const))('%s', async (_, entry) => {
    const calls = await run(entry, adapter);

    expect(calls).toHaveLength(entry.calls.length);
    entry.calls.forEach((expected, i) => {
      const call = calls[i]!;
      expect({ status: call.status, history: call.history }).toEqual({
        status: expected.status,
        history: expected.history,
      });
      // Each earlier response has the ones before it as its own history, as in Node.
      expect(call.nestedHistory).toEqual(
        expected.history.map((_, j) => expected.history.slice(0, j)),
      );
      if (expected.fails) {
        expect(call.error).toEqual({
          name: expected.fails.name,
          isAxiosError: false,
          message: expect.stringMatching(expected.fails.message),
        });
        return;
      }
      expect(call.error).toEqual(
        expected.rejects
          ? {
              name: 'AxiosError',
              isAxiosError: true,
              message: `Request failed with status code ${expected.status}`,
            }
          : null,
      );
    });
    expectServerSaw(api!.seen, entry.server, entry.request.method);
    // Real CORS: each request with an auth header was preflighted, and asked for that header.
    expect(api!.preflights).toEqual(api!.seen.map(unsafeHeaders).filter((names) => names !== ''));
  });
});
