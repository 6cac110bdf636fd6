/**
 * The ESM build in a browser bundle: esbuild bundles it with axios for `platform: 'browser'`, and
 * no Node built-in (`fs`, `os`, `path`, `node:*`, ...) may be imported anywhere in it (NetRC loads
 * them at run time through `process.getBuiltinModule`, which a bundler does not follow). The
 * bundle then runs in a fresh V8 context that has only browser globals (no `process`, `require`
 * or `Buffer`) and makes Basic, Digest and custom-flow requests with axios's fetch adapter to a
 * server on 127.0.0.1.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { createHash, webcrypto } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { consumerProject, ensureBuilt, repo, type ConsumerProject } from './dist';

/** Every specifier that names a Node built-in: `fs`, `fs/promises`, `node:fs`, `node:test`... */
const builtinSpecifier = new RegExp(
  `^(node:.*|(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?)$`,
);

interface BuiltinImport {
  specifier: string;
  importer: string;
}

/** Records each import of a built-in and leaves it out, so that all of them are reported. */
function recordBuiltins(found: BuiltinImport[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(bundler) {
      bundler.onResolve({ filter: builtinSpecifier }, (args) => {
        found.push({ specifier: args.path, importer: relative(repo, args.importer) });
        return { path: args.path, external: true };
      });
    },
  };
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** A Digest (RFC 7616, MD5, qop=auth) protected resource, for the user olivia / secret. */
function digestRoute(request: IncomingMessage, response: ServerResponse): void {
  const header = request.headers.authorization ?? '';
  const params = Object.fromEntries(
    [...header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]),
  );
  if (header.startsWith('Digest ') && params.nonce === 'n0nce') {
    const ha1 = md5(`olivia:dig@example:secret`);
    const ha2 = md5(`${request.method}:${params.uri}`);
    const expected = md5(`${ha1}:n0nce:${params.nc}:${params.cnonce}:auth:${ha2}`);
    response.statusCode = params.username === 'olivia' && params.response === expected ? 200 : 403;
  } else {
    response.statusCode = 401;
    response.setHeader(
      'WWW-Authenticate',
      'Digest realm="dig@example", nonce="n0nce", qop="auth", algorithm=MD5',
    );
  }
  response.end(JSON.stringify({ authorization: header }));
}

let server: Server;
let baseUrl: string;
let project: ConsumerProject;
let builtins: BuiltinImport[];
let metafile: Metafile;
let bundle: string;

beforeAll(async () => {
  ensureBuilt();
  server = createServer((request, response) => {
    response.setHeader('Content-Type', 'application/json');
    if (request.url === '/digest') return digestRoute(request, response);
    if (request.url === '/custom' && request.headers['x-authentication'] !== 'token') {
      response.statusCode = 401;
    }
    response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Bundled from a consumer project, so that 'axios-auth-flow' goes through the exports map.
  project = consumerProject('module');
  builtins = [];
  const result = await build({
    stdin: {
      contents: `export { default as axios } from 'axios'; export * from 'axios-auth-flow';`,
      resolveDir: project.dir,
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'AxiosAuthFlowBundle',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [recordBuiltins(builtins)],
  });
  metafile = result.metafile;
  bundle = result.outputFiles[0]!.text;
}, 180_000);

afterAll(async () => {
  project?.remove();
  await new Promise<void>((done) => server?.close(() => done()));
});

test('the bundle is made of the ESM build, NetRC included', () => {
  const inputs = Object.keys(metafile.inputs).map((input) => relative(repo, resolve(input)));
  for (const file of [
    'index.js',
    'driver/install.js',
    'schemes/basic.js',
    'schemes/digest/digest-auth.js',
    'schemes/netrc/netrc-auth.js',
  ]) {
    expect(inputs).toContain(join('dist', 'esm', file));
  }
  expect(inputs.filter((input) => input.startsWith(join('dist', 'cjs')))).toEqual([]);
  // axios's browser platform layer, not its Node one (http adapter, Node streams).
  expect(inputs.filter((input) => input.includes('axios/lib/platform/node/'))).toEqual([]);
});

test('no Node built-in is imported anywhere in the browser bundle', () => {
  expect(builtins).toEqual([]);
});

test('Basic, Digest and a custom flow work from the bundle with only browser globals', async () => {
  // What a browser page has, and nothing of Node's: no process, require, Buffer or global.
  const page: Record<string, unknown> = {
    fetch,
    Request,
    Response,
    Headers,
    FormData,
    Blob,
    ReadableStream,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    AbortController,
    AbortSignal,
    btoa,
    atob,
    crypto: webcrypto,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    console,
    location: { href: `${baseUrl}/` },
  };
  page.window = page;
  page.self = page;
  const context = createContext(page);
  runInContext(bundle, context);
  const run = runInContext(
    `(async (base) => {
      const { axios, withAuth, Auth, BasicAuth, DigestAuth } = AxiosAuthFlowBundle;
      class TokenOn401 extends Auth {
        *authFlow(request) {
          const response = yield request;
          if (response.status === 401) {
            request.headers.set('X-Authentication', 'token');
            yield request;
          }
        }
      }
      const client = withAuth(axios.create({ baseURL: base, adapter: 'fetch' }));
      const basic = await client.get('/basic', { auth: new BasicAuth('finley', 'secret') });
      const digest = await client.get('/digest', { auth: new DigestAuth('olivia', 'secret') });
      const custom = await client.get('/custom', { auth: new TokenOn401() });
      return JSON.stringify({
        globals: [typeof process, typeof require, typeof Buffer, typeof global],
        results: [basic, digest, custom].map((r) => ({
          status: r.status,
          history: r.history.map((h) => h.status),
          authorization: r.data.authorization,
        })),
      });
    })`,
    context,
  ) as (base: string) => Promise<string>;
  const { globals, results } = JSON.parse(await run(baseUrl)) as {
    globals: string[];
    results: Array<{ status: number; history: number[]; authorization: string | null }>;
  };
  expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  const [basic, digest, custom] = results;
  expect(basic).toEqual({
    status: 200,
    history: [],
    authorization: `Basic ${Buffer.from('finley:secret').toString('base64')}`,
  });
  expect(digest).toEqual({ status: 200, history: [401], authorization: expect.any(String) });
  // The server checked the digest itself (a wrong one is a 403).
  expect(digest!.authorization).toMatch(/^Digest .*username="olivia"/);
  expect(custom).toEqual({ status: 200, history: [401], authorization: null });
});
