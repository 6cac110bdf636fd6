/**
 * Basic against lighttpd and Apache httpd (servers.ts says how each is set up). Basic needs no
 * challenge: every form of `auth` must get a 200 in one exchange, with the header the server
 * expects, UTF-8 credentials included, and a wrong password must get the server's 401 back.
 */
import axios from 'axios';
import { withAuth, BasicAuth } from '../../src/index';
import {
  describeServer,
  JASON,
  OLIVIA,
  secretText,
  serverTest,
  type RunningServer,
  type ServerKind,
} from '../support/real-servers';

function basicSuite(kind: ServerKind, title: string): void {
  describeServer(kind, title, (server: () => RunningServer) => {
    const client = withAuth(axios.create());
    const url = () => server().url('/basic/secret.txt');
    const expected = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

    serverTest(server, 'BasicAuth: 200 in one exchange', async (caseId) => {
      const r = await client.get(url(), {
        auth: new BasicAuth(OLIVIA.username, OLIVIA.password),
        headers: { 'X-Case': caseId },
      });
      expect(r.status).toBe(200);
      expect(r.data).toBe(secretText(kind, 'basic'));
      expect(r.history).toEqual([]);
      const seen = await server().exchanges(caseId, 1);
      expect(seen.map((e) => e.status)).toEqual([200]);
      expect(seen[0]!.authorization).toBe(expected(OLIVIA.username, OLIVIA.password));
    });

    serverTest(
      server,
      'a [username, password] pair and axios own { username, password }',
      async (caseId) => {
        const pair = await client.get(url(), {
          auth: [OLIVIA.username, OLIVIA.password],
          headers: { 'X-Case': caseId },
        });
        const axiosForm = await client.get(url(), {
          auth: { username: OLIVIA.username, password: OLIVIA.password },
          headers: { 'X-Case': caseId },
        });
        expect([pair.status, axiosForm.status]).toEqual([200, 200]);
        const seen = await server().exchanges(caseId, 2);
        expect(seen.map((e) => e.status)).toEqual([200, 200]);
        for (const e of seen) {
          expect(e.authorization).toBe(expected(OLIVIA.username, OLIVIA.password));
        }
      },
    );

    serverTest(server, 'a client-level BasicAuth', async (caseId) => {
      const own = withAuth(
        axios.create({ auth: new BasicAuth(OLIVIA), headers: { 'X-Case': caseId } }),
      );
      const r = await own.get(url());
      expect(r.status).toBe(200);
      expect(await server().exchanges(caseId, 1)).toHaveLength(1);
    });

    serverTest(server, 'a non-ASCII user name and password, sent as UTF-8', async (caseId) => {
      const r = await client.get(url(), {
        auth: new BasicAuth(JASON.username, JASON.password),
        headers: { 'X-Case': caseId },
      });
      expect(r.status).toBe(200);
      const seen = await server().exchanges(caseId, 1);
      expect(seen[0]!.authorization).toBe(expected(JASON.username, JASON.password));
    });

    serverTest(
      server,
      'a wrong password: the server 401 comes back, nothing resent',
      async (caseId) => {
        const error: unknown = await client
          .get(url(), {
            auth: new BasicAuth(OLIVIA.username, 'not the password'),
            headers: { 'X-Case': caseId },
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        if (!axios.isAxiosError(error))
          throw new Error(`expected an AxiosError, got ${String(error)}`);
        expect(error.response?.status).toBe(401);
        expect(error.response?.history).toEqual([]);
        const seen = await server().exchanges(caseId, 1);
        expect(seen.map((e) => e.status)).toEqual([401]);
      },
    );
  });
}

basicSuite('lighttpd', 'interop: Basic against lighttpd');
basicSuite('apache', 'interop: Basic against Apache httpd');
