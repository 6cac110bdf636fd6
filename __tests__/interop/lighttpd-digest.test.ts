/**
 * DigestAuth against lighttpd 1.4 (servers.ts says how it is set up): the RFC 7616 features
 * that a real server checks: MD5, SHA-256, SHA-512-256, userhash, a non-ASCII user name, two
 * challenges in one 401, `uri` with a query, challenge reuse, concurrent first calls, and a
 * wrong password. Every exchange count and Authorization header is read from lighttpd's own
 * log, not only from `response.history`.
 */
import axios from 'axios';
import { withAuth, DigestAuth } from '../../src/index';
import {
  authParams,
  describeServer,
  digestChallenges,
  handDigestStatus,
  hashHex,
  JASON,
  OLIVIA,
  REALMS,
  secretText,
  serverTest,
  type RunningServer,
} from '../support/real-servers';
import { sharedDigestCases } from './digest-cases';

const realms = REALMS.lighttpd;

describeServer(
  'lighttpd',
  'interop: DigestAuth against lighttpd',
  (server: () => RunningServer) => {
    const client = withAuth(axios.create());
    const get = (caseId: string, path: string, auth: DigestAuth) =>
      client.get(server().url(path), { auth, headers: { 'X-Case': caseId } });
    const olivia = () => new DigestAuth(OLIVIA.username, OLIVIA.password);

    serverTest(server, 'MD5: a cold call pays one 401, then 200', async (caseId) => {
      const r = await get(caseId, '/md5/secret.txt', olivia());
      expect(r.status).toBe(200);
      expect(r.data).toBe(secretText('lighttpd', 'md5'));
      expect(r.history).toHaveLength(1);
      expect(r.history[0]!.status).toBe(401);

      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(seen[0]!.authorization).toBeUndefined();
      const sent = authParams(seen[1]!.authorization!);
      expect(sent).toMatchObject({
        username: OLIVIA.username,
        realm: realms.md5,
        uri: '/md5/secret.txt',
        algorithm: 'MD5',
        qop: 'auth',
        nc: '00000001',
      });
      expect(sent.nonce).toBe(authParams(String(r.history[0]!.headers['www-authenticate'])).nonce);
    });

    serverTest(server, 'a client-level DigestAuth (the README example)', async (caseId) => {
      const own = withAuth(
        axios.create({
          auth: new DigestAuth({ username: OLIVIA.username, password: OLIVIA.password }),
          headers: { 'X-Case': caseId },
        }),
      );
      const r = await own.get(server().url('/md5/secret.txt'));
      expect(r.status).toBe(200);
      expect(r.history.map((h) => h.status)).toEqual([401]);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
    });

    serverTest(
      server,
      'one DigestAuth reused: N calls cost N+1 exchanges, nc goes up',
      async (caseId) => {
        const auth = olivia();
        const histories: number[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await get(caseId, '/md5/secret.txt', auth);
          expect(r.status).toBe(200);
          histories.push(r.history.length);
        }
        expect(histories).toEqual([1, 0, 0]);

        const seen = await server().exchanges(caseId, 4);
        expect(seen.map((e) => e.status)).toEqual([401, 200, 200, 200]);
        const sent = seen.slice(1).map((e) => authParams(e.authorization!));
        expect(sent.map((p) => p.nc)).toEqual(['00000001', '00000002', '00000003']);
        expect(new Set(sent.map((p) => p.nonce)).size).toBe(1);
        expect(new Set(sent.map((p) => p.cnonce)).size).toBe(3);
      },
    );

    serverTest(server, 'SHA-256', async (caseId) => {
      const r = await get(caseId, '/sha256/secret.txt', olivia());
      expect(r.status).toBe(200);
      expect(r.data).toBe(secretText('lighttpd', 'sha256'));
      expect(r.history).toHaveLength(1);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(authParams(seen[1]!.authorization!)).toMatchObject({
        algorithm: 'SHA-256',
        realm: realms.sha256,
      });
      expect(authParams(seen[1]!.authorization!).response).toMatch(/^[0-9a-f]{64}$/);
    });

    serverTest(server, 'SHA-512-256', async (caseId) => {
      const r = await get(caseId, '/sha512-256/secret.txt', olivia());
      expect(r.status).toBe(200);
      expect(r.data).toBe(secretText('lighttpd', 'sha512-256'));
      expect(r.history).toHaveLength(1);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(authParams(seen[1]!.authorization!)).toMatchObject({
        algorithm: 'SHA-512-256',
        realm: realms.sha512_256,
      });
    });

    serverTest(server, 'userhash=true: the user name goes hashed', async (caseId) => {
      const r = await get(caseId, '/userhash/secret.txt', olivia());
      expect(r.status).toBe(200);
      expect(r.history).toHaveLength(1);
      expect(String(r.history[0]!.headers['www-authenticate'])).toMatch(/userhash=true/);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(seen[1]!.authorization).not.toContain(OLIVIA.username);
      expect(authParams(seen[1]!.authorization!)).toMatchObject({
        username: hashHex('sha256', `${OLIVIA.username}:${realms.userhash}`),
        userhash: 'true',
        algorithm: 'SHA-256',
      });
    });

    serverTest(server, 'RFC 7616 §3.9.2: non-ASCII user, userhash, SHA-512-256', async (caseId) => {
      const r = await get(caseId, '/rfc7616/secret.txt', new DigestAuth(JASON));
      expect(r.status).toBe(200);
      expect(r.data).toBe(secretText('lighttpd', 'rfc7616'));
      expect(r.history).toHaveLength(1);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(authParams(seen[1]!.authorization!)).toMatchObject({
        username: hashHex('sha512-256', `${JASON.username}:${realms.rfc7616}`),
        userhash: 'true',
        algorithm: 'SHA-512-256',
      });
    });

    serverTest(
      server,
      'a non-ASCII user name goes as username* (charset=UTF-8)',
      async (caseId) => {
        const r = await get(
          caseId,
          '/md5/secret.txt',
          new DigestAuth(JASON.username, JASON.password),
        );
        expect(r.status).toBe(200);
        expect(r.history).toHaveLength(1);
        const seen = await server().exchanges(caseId, 2);
        expect(seen.map((e) => e.status)).toEqual([401, 200]);
        expect(authParams(seen[1]!.authorization!)['username*']).toBe(
          `UTF-8''${encodeURIComponent(JASON.username)}`,
        );
      },
    );

    serverTest(
      server,
      'evidence: lighttpd accepts a non-ASCII name both as username* and as raw UTF-8',
      async (caseId) => {
        const status = (form: 'username*' | 'raw-utf8') =>
          handDigestStatus(server(), caseId, '/md5/secret.txt', JASON, form);
        expect(await status('username*')).toBe(200);
        expect(await status('raw-utf8')).toBe(200);
      },
    );

    serverTest(
      server,
      'two Digest challenges in one 401: the first is answered',
      async (caseId) => {
        const r = await get(caseId, '/two-challenges/secret.txt', olivia());
        expect(r.status).toBe(200);
        expect(r.history).toHaveLength(1);
        const challenges = digestChallenges(String(r.history[0]!.headers['www-authenticate']));
        expect(challenges).toHaveLength(2);
        const first = authParams(challenges[0]!);
        expect(first.algorithm).toBe('SHA-256');
        const seen = await server().exchanges(caseId, 2);
        expect(seen.map((e) => e.status)).toEqual([401, 200]);
        expect(authParams(seen[1]!.authorization!)).toMatchObject({
          algorithm: first.algorithm,
          nonce: first.nonce,
        });
      },
    );

    sharedDigestCases(server);

    serverTest(server, 'baseURL and params: uri is the target as sent', async (caseId) => {
      const based = withAuth(axios.create({ baseURL: server().origin }));
      const r = await based.get('/sha256/secret.txt', {
        auth: olivia(),
        params: { q: 'two words', é: 'ü', n: 1 },
        headers: { 'X-Case': caseId },
      });
      expect(r.status).toBe(200);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      const target = seen[1]!.requestLine.split(' ')[1]!;
      expect(target).toMatch(/^\/sha256\/secret\.txt\?q=two/);
      expect(authParams(seen[1]!.authorization!).uri).toBe(target);
    });

    serverTest(server, "params with ': uri is the raw target, not URL's %27", async (caseId) => {
      // axios appends params after parsing the URL, so `'` goes raw on the request line;
      // lighttpd refuses a uri that differs from it.
      const based = withAuth(axios.create({ baseURL: server().origin }));
      const r = await based.get('/md5/secret.txt', {
        auth: olivia(),
        params: { q: "it's" },
        headers: { 'X-Case': caseId },
      });
      expect(r.status).toBe(200);
      expect(r.history.map((h) => h.status)).toEqual([401]);
      const seen = await server().exchanges(caseId, 2);
      expect(seen.map((e) => e.status)).toEqual([401, 200]);
      expect(seen[1]!.requestLine).toBe("GET /md5/secret.txt?q=it's HTTP/1.1");
      expect(authParams(seen[1]!.authorization!).uri).toBe("/md5/secret.txt?q=it's");
    });

    serverTest(server, 'concurrent first calls share one challenge', async (caseId) => {
      const auth = olivia();
      const calls = 8;
      const responses = await Promise.all(
        Array.from({ length: calls }, () => get(caseId, '/md5/secret.txt', auth)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(calls).fill(200));
      // One call paid the 401; the others waited for its challenge and paid none.
      const paid = responses.map((r) => r.history.length).sort((a, b) => a - b);
      expect(paid).toEqual([...Array<number>(calls - 1).fill(0), 1]);
      const seen = await server().exchanges(caseId, calls + 1);
      expect(seen.filter((e) => e.status === 401)).toHaveLength(1);
      expect(seen).toHaveLength(calls + 1);
      const counts = seen
        .filter((e) => e.authorization)
        .map((e) => {
          const p = authParams(e.authorization!);
          return `${p.nonce} ${p.nc}`;
        });
      expect(new Set(counts).size).toBe(calls);
    });
  },
);
