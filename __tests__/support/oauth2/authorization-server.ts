/**
 * Starts `oidc-provider-server.mjs` (oidc-provider, ESM only) in a child process for a test file,
 * reads its port from the first line it prints, and gives the tests its admin routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import axios from 'axios';

/** What the provider counted: token requests, grants that succeeded, errors it answered. */
export interface ProviderStats {
  tokenRequests: number;
  grants: Record<string, number>;
  errors: { error: string; description: string }[];
}

export interface AuthorizationServer {
  readonly url: string;
  /** A refresh token of user-1 for this client, made by the provider's own models. */
  refreshToken(clientId: string): Promise<string>;
  /** Move the server's clock forward: its tokens expire without anyone sleeping. */
  advance(seconds: number): Promise<void>;
  stats(): Promise<ProviderStats>;
  stop(): Promise<void>;
}

const SCRIPT = join(__dirname, 'oidc-provider-server.mjs');

export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const port = await firstLinePort(child, () => stderr);
  const url = `http://127.0.0.1:${port}`;
  const admin = axios.create({ baseURL: url });
  return {
    url,
    refreshToken: async (clientId) =>
      (
        await admin.post<{ refresh_token: string }>('/test/refresh-token', null, {
          params: { client_id: clientId },
        })
      ).data.refresh_token,
    advance: async (seconds) => {
      await admin.post('/test/advance', null, { params: { seconds } });
    },
    stats: async () => (await admin.get<ProviderStats>('/test/stats')).data,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

async function firstLinePort(child: ChildProcess, stderr: () => string): Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(() => {
    throw new Error(`the authorization server exited before it listened:\n${stderr()}`);
  });
  const first = once(lines, 'line').then(([line]) => JSON.parse(String(line)) as { port: number });
  const { port } = await Promise.race([first, exited]);
  lines.close();
  return port;
}
