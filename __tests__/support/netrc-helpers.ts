/**
 * An in-process HTTP server on 127.0.0.1 that records the Authorization header of every request
 * it gets, and temporary netrc files. `localhost` and `127.0.0.1` reach the same server under
 * two host names, which is what the matching tests need.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The Host header: which name the client used. */
  host: string;
  path: string;
  authorization: string | undefined;
}

export class RecordingServer {
  readonly received: Received[] = [];
  readonly #server: http.Server;
  port = 0;

  constructor() {
    this.#server = http.createServer((request, response) => {
      this.received.push({
        host: request.headers.host ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
      });
      const url = new URL(request.url ?? '/', 'http://server');
      const to = url.searchParams.get('to');
      if (url.pathname === '/redirect' && to) {
        response.writeHead(302, { Location: to }).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  url(host: string, pathname = '/'): string {
    return `http://${host}:${this.port}${pathname}`;
  }

  /** The Authorization headers received, in order, and forget them. */
  take(): (string | undefined)[] {
    return this.received.splice(0).map((r) => r.authorization);
  }
}

/** A temporary directory, removed by `cleanup`. */
export class TempDir {
  readonly path = fs.mkdtempSync(path.join(os.tmpdir(), 'netrc-test-'));

  write(name: string, text: string, mode = 0o600): string {
    const file = path.join(this.path, name);
    fs.writeFileSync(file, text);
    fs.chmodSync(file, mode); // writeFileSync's mode is filtered by the umask
    return file;
  }

  cleanup(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

/** Set environment variables for the duration of `run`, then restore them (also on failure). */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  run: () => Promise<T> | T,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

export const isRoot = process.getuid?.() === 0;
