/**
 * The built package, imported the two ways users import it, in child Node processes (jest's own
 * module system would hide what Node really resolves): `import` from an ES module and `require`
 * from CommonJS, in a project outside the repository whose node_modules links to it. Each makes
 * a real Basic-authenticated request to an HTTP server on 127.0.0.1 in this process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { consumerProject, ensureBuilt, repo, type ConsumerProject } from './dist';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  ensureBuilt();
  server = createServer((request, response) => {
    received.push({ url: request.url ?? '', headers: request.headers });
    if (request.url === '/to-other-origin') {
      // The same server under another name: another origin to the client.
      const { port } = server.address() as AddressInfo;
      response.writeHead(302, { Location: `http://localhost:${port}/landed` }).end();
      return;
    }
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

/** The Authorization value for these credentials, UTF-8 encoded (RFC 7617). */
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

interface ChildResult {
  resolved: string;
  exports: string[];
  statuses: number[];
  histories: number[];
}

function runNode(args: string[], cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...process.env, BASE_URL: baseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`node ${args[0]} failed: ${error.message}\n${stdout}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(stdout) as ChildResult);
      },
    );
  });
}

/**
 * The body both children run, after their own import of `axios`, `withAuth` and `BasicAuth`:
 * a BasicAuth per request, and the `[user, password]` pair on the client.
 */
const requests = `
  const base = process.env.BASE_URL;
  const client = withAuth(axios.create());
  const first = await client.get(base + '/per-request', { auth: new BasicAuth('finley', 'sécret') });
  const second = await withAuth(axios.create({ baseURL: base, auth: ['olivia', 'pw'] })).get('/client');
  process.stdout.write(JSON.stringify({
    resolved: RESOLVED,
    exports: Object.keys(pkg).sort(),
    statuses: [first.status, second.status],
    histories: [first.history.length, second.history.length],
  }));
`;

const esmScript = `
  import axios from 'axios';
  import * as pkg from 'axios-auth-flow';
  import { withAuth, BasicAuth } from 'axios-auth-flow';
  const RESOLVED = import.meta.resolve('axios-auth-flow');
  ${requests}
`;

const cjsScript = `
  const axios = require('axios');
  const pkg = require('axios-auth-flow');
  const { withAuth, BasicAuth } = require('axios-auth-flow');
  const RESOLVED = require.resolve('axios-auth-flow');
  (async () => { ${requests} })().catch((error) => { console.error(error); process.exit(1); });
`;

describe('the built package in Node', () => {
  let esmProject: ConsumerProject;
  let cjsProject: ConsumerProject;
  let esm: ChildResult;
  let cjs: ChildResult;

  beforeAll(async () => {
    esmProject = consumerProject('module');
    cjsProject = consumerProject('commonjs');
    received.length = 0;
    // One after the other, so that the server's log says which child sent what.
    esm = await runNode(['--input-type=module', '-e', esmScript], esmProject.dir);
    cjs = await runNode(['-e', cjsScript], cjsProject.dir);
  }, 60_000);
  afterAll(() => {
    esmProject?.remove();
    cjsProject?.remove();
  });

  test('import resolves to dist/esm and require to dist/cjs', () => {
    expect(esm.resolved).toBe(`file://${join(repo, 'dist', 'esm', 'index.js')}`);
    expect(cjs.resolved).toBe(join(repo, 'dist', 'cjs', 'index.js'));
  });

  test('both flavours export the same names', () => {
    expect(esm.exports).toEqual(cjs.exports);
    expect(esm.exports).toEqual(expect.arrayContaining(['withAuth', 'BasicAuth', 'Auth']));
  });

  test('a Basic-authenticated request works from each, with an empty history', () => {
    expect(esm.statuses).toEqual([200, 200]);
    expect(cjs.statuses).toEqual([200, 200]);
    expect(esm.histories).toEqual([0, 0]);
    expect(cjs.histories).toEqual([0, 0]);
  });

  test('the server received the Basic credentials of each request', () => {
    expect(received.map(({ url, headers }) => [url, headers.authorization])).toEqual([
      ['/per-request', basic('finley', 'sécret')],
      ['/client', basic('olivia', 'pw')],
      ['/per-request', basic('finley', 'sécret')],
      ['/client', basic('olivia', 'pw')],
    ]);
  });
});

test("auth objects from the CommonJS build work with the ESM build's withAuth", async () => {
  // An ESM app and a CommonJS library each load their own copy of the package (the dual
  // package hazard): a BasicAuth or an Auth subclass made by one must work with the other.
  const project = consumerProject('module');
  const script = `
    import axios from 'axios';
    import { createRequire } from 'node:module';
    import { withAuth } from 'axios-auth-flow';
    const cjs = createRequire(import.meta.url)('axios-auth-flow');
    class Token extends cjs.Auth {
      *authFlow(request) { request.headers.set('Authorization', 'Token from-cjs'); yield request; }
    }
    const client = withAuth(axios.create({ baseURL: process.env.BASE_URL }));
    const first = await client.get('/mixed-basic', { auth: new cjs.BasicAuth('mixed', 'pw') });
    const second = await client.get('/mixed-subclass', { auth: new Token() });
    process.stdout.write(JSON.stringify({ statuses: [first.status, second.status] }));
  `;
  try {
    received.length = 0;
    const result = await runNode(['--input-type=module', '-e', script], project.dir);
    expect(result.statuses).toEqual([200, 200]);
    expect(received.map(({ url, headers }) => [url, headers.authorization])).toEqual([
      ['/mixed-basic', basic('mixed', 'pw')],
      ['/mixed-subclass', 'Token from-cjs'],
    ]);
  } finally {
    project.remove();
  }
}, 60_000);

test("a function auth from the CommonJS build keeps its header on its origin under the ESM build's withAuth", async () => {
  // What a function sets is found by comparing the request with the headers the call started
  // with; the other build's FunctionAuth must get that comparison too, or its X-Api-Key would
  // follow a redirect to another origin.
  const project = consumerProject('module');
  const script = `
    import axios from 'axios';
    import { createRequire } from 'node:module';
    import { withAuth } from 'axios-auth-flow';
    const cjs = createRequire(import.meta.url)('axios-auth-flow');
    const setKey = (request) => { request.headers.set('X-Api-Key', 'k-1'); return request; };
    const client = withAuth(axios.create({ baseURL: process.env.BASE_URL }));
    const sync = await client.get('/to-other-origin', { auth: new cjs.FunctionAuth(setKey) });
    const async = await client.get('/to-other-origin', {
      auth: new cjs.FunctionAuth(async (request) => setKey(request)),
    });
    process.stdout.write(JSON.stringify({ statuses: [sync.status, async.status] }));
  `;
  try {
    received.length = 0;
    const result = await runNode(['--input-type=module', '-e', script], project.dir);
    expect(result.statuses).toEqual([200, 200]);
    expect(received.map(({ url, headers }) => [url, headers['x-api-key'] ?? null])).toEqual([
      ['/to-other-origin', 'k-1'],
      ['/landed', null],
      ['/to-other-origin', 'k-1'],
      ['/landed', null],
    ]);
  } finally {
    project.remove();
  }
}, 60_000);

test("errors thrown by one build are instances of the other build's classes", async () => {
  // A CommonJS library that raises NetrcParseError, caught by an ESM app that imported the
  // class from the ESM build: `instanceof` must still hold, up the hierarchy, and only there.
  const project = consumerProject('module');
  const script = `
    import { createRequire } from 'node:module';
    import * as esm from 'axios-auth-flow';
    const cjs = createRequire(import.meta.url)('axios-auth-flow');
    const error = new cjs.NetrcParseError('bad token', '/tmp/netrc', 3);
    class MyError extends esm.NetrcError {}
    process.stdout.write(JSON.stringify({
      parse: error instanceof esm.NetrcParseError,
      netrc: error instanceof esm.NetrcError,
      base: error instanceof esm.AxiosAuthFlowError,
      error: error instanceof Error,
      digest: error instanceof esm.DigestAuthError,
      flow: error instanceof esm.AuthFlowError,
      subclass: error instanceof MyError,
      plain: new Error('x') instanceof esm.AxiosAuthFlowError,
      reverse: new esm.DigestAuthError('m', 'missing-nonce') instanceof cjs.DigestAuthError,
    }));
  `;
  try {
    const result = await runNode(['--input-type=module', '-e', script], project.dir);
    expect(result).toEqual({
      parse: true,
      netrc: true,
      base: true,
      error: true,
      digest: false,
      flow: false,
      subclass: false,
      plain: false,
      reverse: true,
    });
  } finally {
    project.remove();
  }
}, 60_000);

test('the published files hold both flavours, each with its package.json type', () => {
  // What `npm publish` would ship: the links above use the repository, which has more.
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as Array<{ files: Array<{ path: string }> }>;
  const files = pack!.files.map((file) => file.path);
  for (const flavour of ['esm', 'cjs']) {
    const dir = join(repo, 'dist', flavour);
    const built = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => `dist/${flavour}/${name.split(sep).join('/')}`);
    expect(built).toEqual(
      expect.arrayContaining([`dist/${flavour}/schemes/digest/digest-auth.js`]),
    );
    expect(built).toEqual(expect.arrayContaining([`dist/${flavour}/package.json`]));
    expect(files).toEqual(expect.arrayContaining(built));
  }
  expect(
    files.filter((file) => file.startsWith('dist/') && !/^dist\/(esm|cjs)\//.test(file)),
  ).toEqual([]);
});

test("each build's own package.json gives its module type and lets bundlers drop unused modules", () => {
  // Bundlers read the package.json nearest to a module, not the root one: without
  // `"sideEffects": false` here, `import { withAuth, BasicAuth }` bundles the whole package.
  const manifest = (flavour: string): unknown =>
    JSON.parse(readFileSync(join(repo, 'dist', flavour, 'package.json'), 'utf8'));
  expect(manifest('esm')).toEqual({ type: 'module', sideEffects: false });
  expect(manifest('cjs')).toEqual({ type: 'commonjs', sideEffects: false });
});
