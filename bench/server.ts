/**
 * The bench server, run as a child process by `harness.ts` (pinned to its own core where
 * `taskset` exists), so that its CPU time is not the client's: a keep-alive HTTP server on
 * 127.0.0.1, on an ephemeral port that it writes to stdout as its first line.
 *
 * It does not verify credentials: any Authorization of the path's scheme is accepted (see
 * `protocol.ts`). The figure is the client's cost; correctness is the tests' job.
 * It exits when its stdin closes, so it never outlives the bench.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXCHANGES_PATH, OK_BODY, PROTECTED } from './protocol';

let exchanges = 0;

const okHeaders = {
  'Content-Type': 'application/json',
  'Content-Length': String(Buffer.byteLength(OK_BODY)),
};

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === EXCHANGES_PATH) {
    res.end(String(exchanges));
    return;
  }
  exchanges += 1;
  const rule = PROTECTED.find((entry) => url.startsWith(entry.prefix));
  if (rule && !req.headers.authorization?.startsWith(`${rule.scheme} `)) {
    res.writeHead(401, { 'WWW-Authenticate': rule.challenge, 'Content-Length': '0' });
    res.end();
    return;
  }
  res.writeHead(200, okHeaders);
  res.end(OK_BODY);
});
server.keepAliveTimeout = 600_000;
server.headersTimeout = 0;
server.requestTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
