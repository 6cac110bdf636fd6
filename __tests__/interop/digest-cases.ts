/**
 * Digest cases that every real server must pass the same way, registered by each server's suite
 * (apache-digest and lighttpd-digest): a query string in `uri`, and a wrong password. Both use
 * the MD5 location that each server's configuration has at /md5/.
 */
import axios from 'axios';
import { DigestAuth, withAuth } from '../../src/index';
import { authParams, OLIVIA, serverTest, type RunningServer } from '../support/real-servers';

export function sharedDigestCases(server: () => RunningServer): void {
  const client = withAuth(axios.create());
  const get = (caseId: string, path: string, auth: DigestAuth) =>
    client.get(server().url(path), { auth, headers: { 'X-Case': caseId } });

  serverTest(server, 'a URL with a query string: uri is path and query', async (caseId) => {
    const target = '/md5/secret.txt?a=1&b=two%20words&c=%C3%A9';
    const r = await get(caseId, target, new DigestAuth(OLIVIA.username, OLIVIA.password));
    expect(r.status).toBe(200);
    const seen = await server().exchanges(caseId, 2);
    expect(seen.map((e) => e.status)).toEqual([401, 200]);
    expect(seen[1]!.requestLine).toBe(`GET ${target} HTTP/1.1`);
    expect(authParams(seen[1]!.authorization!).uri).toBe(target);
  });

  serverTest(
    server,
    'a wrong password: the 401 comes back after exactly one retry',
    async (caseId) => {
      const error: unknown = await get(
        caseId,
        '/md5/secret.txt',
        new DigestAuth(OLIVIA.username, 'not the password'),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!axios.isAxiosError(error))
        throw new Error(`expected an AxiosError, got ${String(error)}`);
      expect(error.response?.status).toBe(401);
      expect(error.response?.history.map((h) => h.status)).toEqual([401]);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 401]);
      expect(seen[0]!.authorization).toBeUndefined();
      expect(seen[1]!.authorization).toMatch(/^Digest /);
    },
  );
}
