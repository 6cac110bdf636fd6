/**
 * What Chromium itself does with a 401 that carries `WWW-Authenticate: Digest` (or Basic), and
 * so where the package can work in a browser. Found here, in headless Chromium:
 *
 * - A request sent without credentials (cross-origin, `withCredentials` unset or false) gets
 *   the 401 like any response: the page reads the challenge and the flow answers it.
 * - A request sent with credentials (same-origin, or cross-origin with `withCredentials: true`)
 *   is held by Chromium, which asks for a user name and password itself: a login dialog in a
 *   browser with a window; in headless Chromium, with nobody to answer, the request never
 *   completes. Only when that prompt is cancelled does the page get the 401, and the flow then
 *   authenticates as usual.
 * - XHR sends credentials on every same-origin request; axios's fetch adapter sends
 *   `credentials: 'same-origin'` by default and `'omit'` for `withCredentials: false`, so a
 *   same-origin Digest API works from the fetch adapter with `withCredentials: false` only.
 *
 * The test shows this without waiting for anything to time out: Chromium's prompt is the
 * DevTools event `Fetch.authRequired`, recorded and answered with CancelAuth (what a user's
 * "Cancel" does), so every call completes and the test sees whether the prompt came.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { ensureBuilt } from '../package/dist';
import { startApiServer, type ApiServer } from '../support/browser/api-server';
import { launchChromium, type Chromium } from '../support/browser/chromium';
import { digestRoute } from '../support/browser/digest-verifier';
import type { Adapter, PageCall, PageGlobals, RunOptions } from '../support/browser/page';
import { bundlePage, pageRoute } from '../support/browser/page-bundle';
import { browserCases } from './cases';

/** The call under test: a Digest MD5 GET, whose first answer is a 401 with a Digest challenge. */
const DIGEST = browserCases.find((entry) => entry.name.startsWith('Digest MD5:'));
if (!DIGEST) throw new Error('cases.ts has no "Digest MD5:" case, which this test runs');

interface Prompt {
  scheme: string;
  realm: string;
  origin: string;
}

interface Origin {
  page: Page;
  /** Chromium's own credential prompts, since the last reset. */
  prompts: Prompt[];
}

let chromium: Chromium | undefined;
let pageServer: ApiServer | undefined;
let api: ApiServer | undefined;
const origins = {} as Record<'cross-origin' | 'same-origin', Origin>;

/** A page that records Chromium's credential prompts and cancels each one. */
async function openPage(url: string): Promise<Origin> {
  const page = await chromium!.browser.newPage();
  const cdp: CDPSession = await page.createCDPSession();
  const prompts: Prompt[] = [];
  cdp.on('Fetch.authRequired', ({ requestId, authChallenge }) => {
    prompts.push({
      scheme: authChallenge.scheme,
      realm: authChallenge.realm,
      origin: authChallenge.origin,
    });
    void cdp.send('Fetch.continueWithAuth', {
      requestId,
      authChallengeResponse: { response: 'CancelAuth' },
    });
  });
  // Chromium reports prompts only with request interception on: every request is let through.
  cdp.on('Fetch.requestPaused', ({ requestId }) => {
    void cdp.send('Fetch.continueRequest', { requestId });
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  await page.goto(url);
  return { page, prompts };
}

beforeAll(async () => {
  ensureBuilt();
  const bundle = await bundlePage();
  pageServer = await startApiServer([pageRoute(bundle)]);
  // This server also serves the page, for the same-origin calls.
  api = await startApiServer([pageRoute(bundle), digestRoute()]);
  chromium = await launchChromium();
  origins['cross-origin'] = await openPage(`${pageServer.origin}/`);
  origins['same-origin'] = await openPage(`${api.origin}/`);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await pageServer?.close();
  await api?.close();
});

beforeEach(() => {
  api!.reset();
  for (const origin of Object.values(origins)) origin.prompts.length = 0;
});

interface Row {
  origin: keyof typeof origins;
  withCredentials?: boolean;
  /** Does Chromium prompt for credentials itself, per adapter? */
  prompts: Record<Adapter, boolean>;
}

const rows: Row[] = [
  { origin: 'cross-origin', prompts: { xhr: false, fetch: false } },
  { origin: 'cross-origin', withCredentials: false, prompts: { xhr: false, fetch: false } },
  { origin: 'cross-origin', withCredentials: true, prompts: { xhr: true, fetch: true } },
  { origin: 'same-origin', prompts: { xhr: true, fetch: true } },
  { origin: 'same-origin', withCredentials: false, prompts: { xhr: true, fetch: false } },
];

const cases = rows.flatMap((row) =>
  (['xhr', 'fetch'] as const).map((adapter) => ({
    title:
      `${row.origin}, withCredentials ${String(row.withCredentials ?? 'unset')}, ${adapter}: ` +
      (row.prompts[adapter] ? 'Chromium prompts for credentials itself' : 'the page gets the 401'),
    row,
    adapter,
  })),
);

test.each(cases)('Digest, $title', async ({ row, adapter }) => {
  const { page, prompts } = origins[row.origin];
  const options: RunOptions =
    row.withCredentials === undefined ? {} : { withCredentials: row.withCredentials };
  const calls: PageCall[] = await page.evaluate(
    (name, adapterName, baseURL, runOptions) =>
      (globalThis as unknown as PageGlobals).runCase(name, adapterName, baseURL, runOptions),
    DIGEST.name,
    adapter,
    api!.origin,
    options,
  );

  expect(prompts).toEqual(
    row.prompts[adapter] ? [{ scheme: 'digest', realm: 'browser MD5', origin: api!.origin }] : [],
  );
  // Once the prompt is cancelled (or when none came), the flow answers the challenge itself.
  expect(calls.map(({ status, history, error }) => ({ status, history, error }))).toEqual([
    { status: 200, history: [401], error: null },
  ]);
  expect(
    api!.seen.filter((request) => request.path.startsWith('/digest/')).map((r) => r.verdict),
  ).toEqual(['challenged', 'accepted']);
});
