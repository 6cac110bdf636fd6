/**
 * `npm run demo`, the README's first command: every example runs against the embedded server,
 * and `--url` runs the httpbin-compatible ones against another server. Real httpbin echoes
 * request headers with Title-Cased names (`X-Authentication`), the embedded one with Node's
 * lower-case names: the demo must read both.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startHttpbin, type Httpbin, type Route } from '../support/httpbin';

const repo = path.resolve(__dirname, '..', '..');

/** Runs the demo to its end; resolves with its exit code and everything it printed. */
function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts', ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** `/anything` as real httpbin answers it: header names Title-Cased. */
const titleCasedAnything: Route = (request, response) => {
  if (!request.path.startsWith('/anything')) return false;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const titled = name.replace(
      /(^|-)([a-z])/g,
      (_, dash: string, c: string) => dash + c.toUpperCase(),
    );
    headers[titled] = String(value);
  }
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ method: request.method, headers }));
  return true;
};

test('npm run demo: every example passes against the embedded server', async () => {
  const { code, output } = await runDemo([]);
  expect(output).toMatch(/\n(\d+) examples ran, 0 failed\n/);
  expect(output).toContain('server saw X-Authentication: token-from-a-function');
  expect(code).toBe(0);
}, 60_000);

describe('npm run demo -- --url against an httpbin that Title-Cases echoed headers', () => {
  let server: Httpbin;
  beforeAll(async () => {
    server = await startHttpbin([titleCasedAnything]);
  });
  afterAll(() => server.close());

  test('the echoed custom header is found', async () => {
    const { code, output } = await runDemo(['--url', server.url]);
    expect(output).toContain('server saw X-Authentication: token-from-a-function');
    expect(output).toContain('server saw X-Authentication: my-token');
    expect(output).not.toContain('undefined');
    expect(output).toMatch(/examples ran, 0 failed/);
    expect(code).toBe(0);
  }, 60_000);
});
