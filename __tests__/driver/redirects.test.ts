/**
 * Redirects the adapter follows: credentials never go to another origin (scheme, host or port),
 * whichever auth form set them; a same-origin redirect keeps them, as httpx does; once dropped
 * in a chain they stay dropped. Origins: two httpbins on 127.0.0.1 (two ports), `localhost` as
 * another host name for the first one, and an https server on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import { Auth, AuthRequest, BasicAuth, withAuth, type AuthFlow } from '../../src/index';
import { startHttpbin, type Httpbin, type RecordedRequest } from '../support/httpbin';
import { basicHeader, useHttpbin } from '../support/helpers';

const server = useHttpbin();

const cert = readFileSync(path.join(__dirname, 'fixtures/test-cert.pem'));
const key = readFileSync(path.join(__dirname, 'fixtures/test-key.pem'));
const httpsAgent = new https.Agent({ ca: cert });

let other: Httpbin;
let secure: { url: string; requests: RecordedRequest[]; close(): Promise<void> };

beforeAll(async () => {
  other = await startHttpbin();
  secure = await startHttpsRecorder();
});
afterAll(async () => {
  await other.close();
  await secure.close();
  httpsAgent.destroy();
});
beforeEach(() => {
  other.requests.length = 0;
  secure.requests.length = 0;
});

/** An https server on 127.0.0.1 that records requests; `/redirect-to?url=` redirects. */
async function startHttpsRecorder(): Promise<typeof secure> {
  const requests: RecordedRequest[] = [];
  const httpsServer = https.createServer({ cert, key }, (req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.alloc(0),
      });
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      if (url.pathname === '/redirect-to') {
        res.writeHead(302, { Location: url.searchParams.get('url') ?? '/' });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"secure":true}');
    });
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpsServer.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        httpsServer.closeAllConnections();
        httpsServer.close(() => resolve());
      }),
  };
}

function redirectTo(target: string, status = 302): string {
  return `/redirect-to?url=${encodeURIComponent(target)}&status_code=${status}`;
}

class HeaderAuth extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    request.headers.set('Authorization', 'Token custom-flow');
    yield request;
  }
}

/** A GET through `withAuth` with credentials set one way; the Authorization it produces. */
type Get = (url: string) => Promise<AxiosResponse>;

/** Each way credentials get onto a call, written as a user writes it (no casts). */
const forms: [string, Get, string][] = [
  [
    'BasicAuth per request',
    (url) => withAuth(axios.create()).get(url, { auth: new BasicAuth('u', 'p'), httpsAgent }),
    basicHeader('u', 'p'),
  ],
  [
    'a [user, pass] tuple',
    (url) => withAuth(axios.create()).get(url, { auth: ['u', 'p'], httpsAgent }),
    basicHeader('u', 'p'),
  ],
  [
    "axios's { username, password }",
    (url) =>
      withAuth(axios.create()).get(url, { auth: { username: 'u', password: 'p' }, httpsAgent }),
    basicHeader('u', 'p'),
  ],
  [
    'a function',
    (url) =>
      withAuth(axios.create()).get(url, {
        auth: (request: AuthRequest) => {
          request.headers.set('Authorization', 'Token function');
          return request;
        },
        httpsAgent,
      }),
    'Token function',
  ],
  [
    'a custom Auth subclass',
    (url) => withAuth(axios.create()).get(url, { auth: new HeaderAuth(), httpsAgent }),
    'Token custom-flow',
  ],
  [
    'the client default',
    (url) => withAuth(axios.create({ auth: new BasicAuth('u', 'p'), httpsAgent })).get(url),
    basicHeader('u', 'p'),
  ],
  [
    'credentials in the URL',
    (url) => withAuth(axios.create({ httpsAgent })).get(url.replace('http://', 'http://u:p@')),
    basicHeader('u', 'p'),
  ],
];

describe.each(forms)('credentials set by %s', (_name, get, expected) => {
  test('are sent to the first server', async () => {
    await get(`${server().url}/anything`);
    expect(server().requests.map((r) => r.headers.authorization)).toEqual([expected]);
  });

  test('do not follow a redirect to another port', async () => {
    const response = await get(`${server().url}${redirectTo(`${other.url}/anything`)}`);
    expect(response.status).toBe(200);
    expect(server().requests[0]?.headers.authorization).toBe(expected);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('leave the headers axios adds on the next hop: only credentials are dropped', async () => {
    await get(`${server().url}${redirectTo(`${other.url}/anything`)}`);
    const first = server().requests[0]?.headers;
    const hop = other.requests[0]?.headers;
    expect(first?.['user-agent']).toMatch(/^axios\//);
    expect(hop?.['user-agent']).toBe(first?.['user-agent']);
    expect(hop?.['accept-encoding']).toBe(first?.['accept-encoding']);
    expect(hop?.accept).toBe(first?.accept);
  });

  test('do not follow a redirect to another host (127.0.0.1 to localhost)', async () => {
    const target = `${server().url.replace('127.0.0.1', 'localhost')}/anything`;
    const response = await get(`${server().url}${redirectTo(target)}`);
    expect(response.status).toBe(200);
    const [first, second] = server().requests;
    expect(first?.headers.authorization).toBe(expected);
    expect(second?.headers.host).toMatch(/^localhost:/);
    expect(second?.headers.authorization).toBeUndefined();
  });

  test('do not follow a redirect to another scheme (http to https)', async () => {
    const response = await get(`${server().url}${redirectTo(`${secure.url}/landing`)}`);
    expect(response.data).toEqual({ secure: true });
    expect(secure.requests).toHaveLength(1);
    expect(secure.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('follow a same-origin redirect, as httpx does', async () => {
    const response = await get(`${server().url}${redirectTo('/anything/landed')}`);
    expect(response.status).toBe(200);
    expect(server().requests.map((r) => [r.path.split('?')[0], r.headers.authorization])).toEqual([
      ['/redirect-to', expected],
      ['/anything/landed', expected],
    ]);
  });
});

describe('redirect chains', () => {
  test('once dropped, credentials stay dropped when the chain comes back to the origin', async () => {
    const client = withAuth(axios.create({ auth: ['u', 'p'] }));
    const back = `${server().url}/anything/back`;
    const viaOther = `${other.url}${redirectTo(back)}`;
    await client.get(`${server().url}${redirectTo(viaOther)}`);
    expect(server().requests.map((r) => r.headers.authorization)).toEqual([
      basicHeader('u', 'p'),
      undefined,
    ]);
    expect(other.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  test('https to http on the same host drops them', async () => {
    const client = withAuth(axios.create({ auth: ['u', 'p'], httpsAgent }));
    await client.get(`${secure.url}${redirectTo(`${server().url}/anything`)}`);
    expect(secure.requests[0]?.headers.authorization).toBe(basicHeader('u', 'p'));
    expect(server().requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  test('several same-origin hops keep them', async () => {
    const client = withAuth(axios.create({ auth: ['u', 'p'] }));
    const hop2 = redirectTo('/anything/end', 307);
    await client.get(`${server().url}${redirectTo(hop2, 301)}`);
    expect(server().requests.map((r) => r.headers.authorization)).toEqual(
      Array(3).fill(basicHeader('u', 'p')),
    );
  });

  test("the caller's own beforeRedirect still runs, after the guard", async () => {
    const client = withAuth(axios.create({ auth: ['u', 'p'] }));
    const seen: unknown[] = [];
    await client.get(`${server().url}${redirectTo(`${other.url}/anything`)}`, {
      beforeRedirect: (options) => {
        const headers = options.headers as Record<string, unknown>;
        seen.push(Object.keys(headers).some((name) => name.toLowerCase() === 'authorization'));
        headers['X-Hook'] = 'ran';
      },
    });
    expect(seen).toEqual([false]);
    expect(other.requests[0]?.headers['x-hook']).toBe('ran');
  });

  test('a call with maxRedirects: 0 gets the redirect itself, with history []', async () => {
    const client = withAuth(axios.create({ auth: ['u', 'p'] }));
    const response = await client.get(`${server().url}${redirectTo(`${other.url}/anything`)}`, {
      maxRedirects: 0,
      validateStatus: () => true,
    });
    expect(response.status).toBe(302);
    expect(response.history).toEqual([]);
    expect(other.requests).toHaveLength(0);
  });

  describe('http to https on the same host with default ports (httpx keeps them)', () => {
    /** Agents that reach our servers whatever port the URL names: lets a test use ports 80/443. */
    function agents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
      const httpAgent = new http.Agent();
      httpAgent.createConnection = () =>
        net.connect(Number(new URL(server().url).port), '127.0.0.1');
      const secureAgent = new https.Agent({ ca: cert });
      secureAgent.createConnection = (options) =>
        tls.connect({
          ...(options as tls.ConnectionOptions),
          host: '127.0.0.1',
          port: Number(new URL(secure.url).port),
          ca: cert,
          servername: 'localhost',
        });
      return { httpAgent, httpsAgent: secureAgent };
    }

    test('http://localhost/ to https://localhost/ keeps Basic', async () => {
      const client = withAuth(axios.create({ auth: ['u', 'p'], ...agents() }));
      const response = await client.get(
        `http://localhost${redirectTo('https://localhost/landing')}`,
      );
      expect(response.data).toEqual({ secure: true });
      expect(server().requests[0]?.headers.host).toBe('localhost');
      expect(secure.requests.map((r) => [r.headers.host, r.headers.authorization])).toEqual([
        ['localhost', basicHeader('u', 'p')],
      ]);
    });

    test('http://localhost/ to https://localhost:8443/ (not the default port) drops them', async () => {
      const client = withAuth(axios.create({ auth: ['u', 'p'], ...agents() }));
      await client.get(`http://localhost${redirectTo('https://localhost:8443/landing')}`);
      expect(secure.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
    });
  });
});
