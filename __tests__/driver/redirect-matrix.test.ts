/**
 * Every header an auth sets stays on its origin when an adapter follows a redirect, whichever
 * form set it (function, custom flow, Basic, Bearer, Digest, NetRC), with the http and fetch
 * adapters, for 301/302/303/307/308, GET and POST, and each kind of other origin: another port,
 * another address, another host name for the same address and back, a subdomain, a trailing
 * dot, a scheme-relative Location, http to https and https to http. The assertions are on what
 * the server at the end of the redirect received. Same-origin redirects keep them, as httpx does;
 * a header the caller set by hand (not the auth) goes along, as in httpx.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import {
  Auth,
  BasicAuth,
  DigestAuth,
  NetRCAuth,
  withAuth,
  type AuthFlow,
  type AuthOption,
  type AuthRequest,
  type AuthRequestConfig,
  type WithAuth,
} from '../../src/index';
import { BearerAuth } from '../../src/schemes/bearer';
import { startRedirectServers, type RedirectServers } from '../support/redirect-servers';

let servers: RedirectServers;
let httpsAgent: https.Agent;
/** Node's fetch trusts the test CA through a dispatcher of its own (undici's Agent class). */
let dispatcher: { close(): Promise<void> } | undefined;
let netrcFile: string;

beforeAll(async () => {
  servers = await startRedirectServers();
  httpsAgent = new https.Agent({ ca: servers.cert });
  dispatcher = await trustingDispatcher(servers.cert);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redirect-matrix-'));
  netrcFile = path.join(dir, 'netrc');
  writeFileSync(
    netrcFile,
    'machine 127.0.0.1 login net password rc\nmachine localhost login net password rc\n',
  );
});
afterAll(async () => {
  await servers.close();
  httpsAgent.destroy();
  await dispatcher?.close();
});

/**
 * A dispatcher for Node's fetch that trusts the test CA: an instance of undici's Agent, whose
 * class Node does not export; it is the class of the global dispatcher, which lives on the main
 * realm's global (jest runs tests in a vm context with a global of its own).
 */
async function trustingDispatcher(ca: Buffer): Promise<{ close(): Promise<void> }> {
  const mainRealm = (process.nextTick.constructor as FunctionConstructor)(
    'return globalThis',
  )() as Record<symbol, unknown>;
  await fetch(`http://127.0.0.1:${servers.origin}/warm-up`); // creates the global dispatcher
  const global = mainRealm[Symbol.for('undici.globalDispatcher.1')] as object;
  const Agent = global.constructor as new (options: object) => { close(): Promise<void> };
  return new Agent({ connect: { ca } });
}

class SigningFlow extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    request.headers.set('X-Authentication', 'flow-token');
    request.headers.set('X-Signature', 'sha256=flow-signature');
    yield request;
  }
}

/** A way to authenticate; `challenge` makes the first server answer with a Digest 401 first. */
interface Form {
  name: string;
  auth: () => AuthOption;
  /** Header names (lower case) the auth puts on the request. */
  sets: string[];
  challenge?: boolean;
}

const forms: Form[] = [
  {
    name: 'a function',
    auth: () => (request: AuthRequest) => {
      request.headers.set('X-Api-Key', 'function-key');
      return request;
    },
    sets: ['x-api-key'],
  },
  {
    name: 'a custom flow',
    auth: () => new SigningFlow(),
    sets: ['x-authentication', 'x-signature'],
  },
  { name: 'BasicAuth', auth: () => new BasicAuth('u', 'p'), sets: ['authorization'] },
  { name: 'BearerAuth', auth: () => new BearerAuth('bearer-token'), sets: ['authorization'] },
  {
    name: 'DigestAuth (and the cookie of its 401)',
    auth: () => new DigestAuth('u', 'p'),
    sets: ['authorization', 'cookie'],
    challenge: true,
  },
  { name: 'NetRCAuth', auth: () => new NetRCAuth({ file: netrcFile }), sets: ['authorization'] },
];

/** Where a chain starts and where its redirect points. `http` only: fetch cannot resolve it. */
interface Target {
  name: string;
  from: () => string;
  to: (id: string) => string;
  kept: boolean;
  httpOnly?: boolean;
}

const at =
  (host: string, port: () => number, scheme = 'http') =>
  () =>
    `${scheme}://${host}:${port()}`;
const origin = at('127.0.0.1', () => servers.origin);
const named = at('localhost', () => servers.origin);
const secure = at('127.0.0.1', () => servers.secure, 'https');

const targets: Target[] = [
  {
    name: 'another port',
    from: origin,
    to: (id) => `${at('127.0.0.1', () => servers.otherPort)()}/landing/${id}`,
    kept: false,
  },
  {
    name: 'another address (127.0.0.2)',
    from: origin,
    to: (id) => `${at('127.0.0.2', () => servers.otherAddress)()}/landing/${id}`,
    kept: false,
  },
  {
    name: 'a host name for the same address (127.0.0.1 to localhost)',
    from: origin,
    to: (id) => `${named()}/landing/${id}`,
    kept: false,
  },
  {
    name: 'an IP for the same host name (localhost to 127.0.0.1)',
    from: named,
    to: (id) => `${origin()}/landing/${id}`,
    kept: false,
  },
  {
    name: 'a subdomain (localhost to sub.localhost, same port)',
    from: named,
    to: (id) => `${at('sub.localhost', () => servers.origin)()}/landing/${id}`,
    kept: false,
    httpOnly: true,
  },
  {
    name: 'a trailing dot (localhost to localhost.)',
    from: named,
    to: (id) => `${at('localhost.', () => servers.origin)()}/landing/${id}`,
    kept: false,
    httpOnly: true,
  },
  {
    name: 'a scheme-relative Location (//127.0.0.2:C)',
    from: origin,
    to: (id) => `//127.0.0.2:${servers.otherAddress}/landing/${id}`,
    kept: false,
  },
  {
    name: 'http to https (another port)',
    from: origin,
    to: (id) => `${secure()}/landing/${id}`,
    kept: false,
  },
  { name: 'https to http', from: secure, to: (id) => `${origin()}/landing/${id}`, kept: false },
  { name: 'a relative path (same origin)', from: origin, to: (id) => `/landing/${id}`, kept: true },
  {
    name: 'an absolute URL of the same origin',
    from: origin,
    to: (id) => `${origin()}/landing/${id}`,
    kept: true,
  },
  { name: 'https, same origin', from: secure, to: (id) => `/landing/${id}`, kept: true },
  {
    name: '127.0.0.1 to 127.0.0.1. (URL parsing drops the dot: the same host)',
    from: origin,
    to: (id) => `http://127.0.0.1.:${servers.origin}/landing/${id}`,
    kept: true,
  },
];

/** Host names the servers answer on, for the http adapter (fetch resolves only real names). */
async function lookup(hostname: string): Promise<{ address: string; family: 4 }> {
  return { address: hostname === '127.0.0.2' ? hostname : '127.0.0.1', family: 4 };
}

const codes = [301, 302, 303, 307, 308];
const methods = ['get', 'post'] as const;
const adapters = ['http', 'fetch'] as const;
const CREDENTIAL_NAMES = [
  'authorization',
  'cookie',
  'x-api-key',
  'x-authentication',
  'x-signature',
];
let nextId = 0;

/** One call per code and method, all at once; what went wrong (empty when all is right). */
async function run(
  adapter: (typeof adapters)[number],
  form: Form,
  target: Target,
): Promise<string[]> {
  const client = withAuth(axios.create({ adapter }));
  const cases = codes.flatMap((status) => methods.map((method) => ({ status, method })));
  const problems = await Promise.all(
    cases.map(({ status, method }) => check(client, form, target, status, method)),
  );
  return problems.flat();
}

/** One redirected call, and how what landed differs from what should have. */
async function check(
  client: WithAuth<AxiosInstance>,
  form: Form,
  target: Target,
  status: number,
  method: (typeof methods)[number],
): Promise<string[]> {
  const id = `case-${nextId++}`;
  const query = new URLSearchParams({ to: target.to(id), status: String(status) });
  if (form.challenge) query.set('challenge', '1');
  const config: AuthRequestConfig = {
    url: `${target.from()}/redirect/${id}?${query}`,
    method,
    headers: { 'X-Caller': 'set-by-hand' },
    auth: form.auth(),
    httpsAgent,
    lookup,
    fetchOptions: { dispatcher },
    validateStatus: null,
  };
  if (method === 'post') config.data = { posted: id };
  const label = `${status} ${method.toUpperCase()}`;
  let response;
  try {
    response = await client.request(config);
  } catch (error) {
    return [`${label}: ${String(error)}`];
  }
  const landed = servers.landing(id);
  if (typeof landed === 'string') return [`${label}: ${landed} (status ${response.status})`];
  const problems: string[] = [];
  const present = CREDENTIAL_NAMES.filter((name) => landed.headers[name] !== undefined);
  const expected = target.kept ? form.sets : [];
  if (present.join() !== expected.join()) {
    problems.push(`${label}: landed with [${present.join()}], expected [${expected.join()}]`);
  }
  if (landed.headers['x-caller'] !== 'set-by-hand') problems.push(`${label}: X-Caller lost`);
  const becomesGet = method === 'post' && status !== 307 && status !== 308;
  const landedMethod = becomesGet ? 'GET' : method.toUpperCase();
  if (landed.method !== landedMethod) problems.push(`${label}: landed as ${landed.method}`);
  if (landedMethod === 'POST' && !landed.body.includes(id)) problems.push(`${label}: body lost`);
  if (response.status !== 200) problems.push(`${label}: final status ${response.status}`);
  return problems;
}

describe.each(adapters)('the %s adapter', (adapter) => {
  describe.each(forms.map((form) => [form.name, form] as const))(
    'credentials set by %s',
    (_, form) => {
      const cases = targets.filter((target) => adapter === 'http' || !target.httpOnly);
      test.each(
        cases.map((target) => [target.kept ? 'go' : 'do not go', target.name, target] as const),
      )('%s along a redirect to %s', async (_verb, _name, target) => {
        expect(await run(adapter, form, target)).toEqual([]);
      });
    },
  );
});
