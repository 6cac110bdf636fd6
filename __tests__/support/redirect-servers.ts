/**
 * Origins for the redirect tests: three plain http servers (127.0.0.1 on two ports, 127.0.0.2)
 * and an https server on 127.0.0.1 with the test certificate (127.0.0.1 and localhost), all
 * recording into one list, so a test finds the request that landed wherever it landed.
 *
 *   ANY /redirect/:id?to=&status=[&challenge=1]   `status` redirect to `to`; with `challenge`,
 *        first a Digest 401 that also sets a cookie, until the request carries Authorization
 *   ANY /landing/:id                               200, the request recorded
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Landed {
  /** `http://127.0.0.1:PORT` of the server that received it (whatever Host said). */
  server: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RedirectServers {
  /** http://127.0.0.1:A: where most chains start. */
  origin: number;
  /** http://127.0.0.1:B: another port. */
  otherPort: number;
  /** http://127.0.0.2:C: another address. */
  otherAddress: number;
  /** https://127.0.0.1:S (and https://localhost:S). */
  secure: number;
  /** The test CA, for https agents and fetch dispatchers. */
  cert: Buffer;
  requests: Landed[];
  /** The one request that reached `/landing/:id`, or why not exactly one did. */
  landing(id: string): Landed | string;
  close(): Promise<void>;
}

export const fixtures = path.join(__dirname, '../driver/fixtures');

export async function startRedirectServers(): Promise<RedirectServers> {
  const cert = readFileSync(path.join(fixtures, 'test-cert.pem'));
  const key = readFileSync(path.join(fixtures, 'test-key.pem'));
  const requests: Landed[] = [];
  const servers: http.Server[] = [];
  const listen = async (server: http.Server, host: string): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      record(req, res, `${host}:${port}`, requests),
    );
    return port;
  };
  const origin = await listen(http.createServer(), '127.0.0.1');
  const otherPort = await listen(http.createServer(), '127.0.0.1');
  const otherAddress = await listen(http.createServer(), '127.0.0.2');
  const secure = await listen(https.createServer({ cert, key }), '127.0.0.1');
  return {
    origin,
    otherPort,
    otherAddress,
    secure,
    cert,
    requests,
    landing(id) {
      const found = requests.filter((request) => request.path.startsWith(`/landing/${id}`));
      return found.length === 1 && found[0] ? found[0] : `${found.length} requests landed`;
    },
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

function record(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  server: string,
  requests: Landed[],
): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const landed: Landed = {
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(landed);
    const url = new URL(landed.path, 'http://127.0.0.1');
    if (url.pathname.startsWith('/redirect/')) {
      if (url.searchParams.has('challenge') && !req.headers.authorization) {
        res.writeHead(401, {
          'WWW-Authenticate': 'Digest realm="redirects", nonce="n0nce", qop="auth", algorithm=MD5',
          'Set-Cookie': 'sid=from-the-401; Path=/',
        });
        res.end();
        return;
      }
      res.writeHead(Number(url.searchParams.get('status') ?? 302), {
        Location: url.searchParams.get('to') ?? '/',
        'Content-Length': 0,
      });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ landed: landed.path }));
  });
}
