/**
 * DigestAuth against Apache httpd 2.4's mod_auth_digest (servers.ts says how it is set up):
 * MD5 with qop=auth, `opaque`, a nonce count that httpd itself checks (AuthDigestNcCheck),
 * `Authentication-Info: nextnonce`, `stale=true` once a nonce has expired, a query string in
 * `uri`, a wrong password, and a non-ASCII user name (raw UTF-8: httpd advertises no charset and
 * knows no `username*`). Exchange counts and Authorization headers are read from httpd's
 * own log, not only from `response.history`.
 */
import axios from 'axios';
import { withAuth, DigestAuth } from '../../src/index';
import {
  authParams,
  describeServer,
  handDigestStatus,
  JASON,
  OLIVIA,
  REALMS,
  secretText,
  serverTest,
  sleep,
  type RunningServer,
} from '../support/real-servers';
import { sharedDigestCases } from './digest-cases';

const realms = REALMS.apache;

describeServer(
  'apache',
  'interop: DigestAuth against Apache httpd',
  (server: () => RunningServer) => {
    const client = withAuth(axios.create());
    const get = (caseId: string, path: string, auth: DigestAuth) =>
      client.get(server().url(path), { auth, headers: { 'X-Case': caseId } });
    const olivia = () => new DigestAuth(OLIVIA.username, OLIVIA.password);

    serverTest(
      server,
      'MD5, qop=auth: a cold call pays one 401; opaque goes back',
      async (caseId) => {
        const r = await get(caseId, '/md5/secret.txt', olivia());
        expect(r.status).toBe(200);
        expect(r.data).toBe(secretText('apache', 'md5'));
        expect(r.history.map((h) => h.status)).toEqual([401]);
        const challenge = authParams(String(r.history[0]!.headers['www-authenticate']));
        expect(challenge.opaque).toBeDefined();

        const seen = await server().exchanges(caseId, 2);
        expect(seen.map((e) => e.status)).toEqual([401, 200]);
        expect(seen[0]!.authorization).toBeUndefined();
        expect(authParams(seen[1]!.authorization!)).toMatchObject({
          username: OLIVIA.username,
          realm: realms.md5,
          uri: '/md5/secret.txt',
          algorithm: 'MD5',
          qop: 'auth',
          nc: '00000001',
          nonce: challenge.nonce,
          opaque: challenge.opaque,
        });
      },
    );

    serverTest(
      server,
      'one DigestAuth reused: N calls, N+1 exchanges; httpd checks nc',
      async (caseId) => {
        const auth = olivia();
        const histories: number[] = [];
        for (let i = 0; i < 4; i++) {
          const r = await get(caseId, '/md5/secret.txt', auth);
          expect(r.status).toBe(200);
          histories.push(r.history.length);
        }
        expect(histories).toEqual([1, 0, 0, 0]);
        const seen = await server().exchanges(caseId, 5);
        expect(seen.map((e) => e.status)).toEqual([401, 200, 200, 200, 200]);
        const nc = seen.slice(1).map((e) => authParams(e.authorization!).nc);
        expect(nc).toEqual(['00000001', '00000002', '00000003', '00000004']);
      },
    );

    sharedDigestCases(server);

    serverTest(
      server,
      'a non-ASCII user name goes as raw UTF-8 in username="..." (no charset advertised)',
      async (caseId) => {
        const auth = new DigestAuth(JASON.username, JASON.password);
        const r = await get(caseId, '/md5/secret.txt', auth);
        expect(r.status).toBe(200);
        expect(r.data).toBe(secretText('apache', 'md5'));
        const challenge = String(r.history[0]!.headers['www-authenticate']);
        expect(challenge).not.toMatch(/charset/i);
        // Warm: the next call answers at once, and httpd's nonce count check passes.
        expect((await get(caseId, '/md5/secret.txt', auth)).history).toEqual([]);
        const seen = await server().exchanges(caseId, 3);
        expect(seen.map((e) => e.status)).toEqual([401, 200, 200]);
        // The log escapes non-ASCII bytes as \xHH; unescaped, they are the name's UTF-8 bytes.
        const username = authParams(seen[1]!.authorization!).username!;
        expect(Buffer.from(username, 'latin1').toString('utf8')).toBe(JASON.username);
        expect(seen[1]!.authorization).not.toContain('username*');
      },
    );

    serverTest(
      server,
      'evidence: httpd accepts the raw UTF-8 name and refuses username*',
      async (caseId) => {
        const from = server().errorLogSize();
        expect(await handDigestStatus(server(), caseId, '/md5/secret.txt', JASON, 'raw-utf8')).toBe(
          200,
        );
        expect(
          await handDigestStatus(server(), caseId, '/md5/secret.txt', JASON, 'username*'),
        ).toBe(401);
        // httpd's reason: it reads no `username*`, so it finds no user at all.
        expect(server().errorLog(from)).toMatch(/AH01782: missing user, realm, nonce/);
      },
    );

    serverTest(
      server,
      'Authentication-Info nextnonce: the next call answers it',
      async (caseId) => {
        const auth = olivia();
        const first = await get(caseId, '/nextnonce/secret.txt', auth);
        expect(first.status).toBe(200);
        const info = first.headers['authentication-info'];
        expect(info).toBeDefined();
        const nextnonce = authParams(`Digest ${String(info)}`).nextnonce;
        expect(nextnonce).toBeDefined();

        const second = await get(caseId, '/nextnonce/secret.txt', auth);
        expect(second.status).toBe(200);
        expect(second.history).toEqual([]);
        const seen = await server().exchanges(caseId, 3);
        expect(seen.map((e) => e.status)).toEqual([401, 200, 200]);
        // A new nonce starts its own count (RFC 7616 §3.4: nc counts requests with that nonce).
        expect(authParams(seen[2]!.authorization!)).toMatchObject({
          nonce: nextnonce,
          nc: '00000001',
        });
      },
    );

    serverTest(
      server,
      'stale=true after the nonce expired: one retry with the new nonce',
      async (caseId) => {
        const from = server().errorLogSize();
        const auth = olivia();
        const first = await get(caseId, '/stale/secret.txt', auth);
        expect(first.status).toBe(200);
        expect(first.history).toHaveLength(1);
        // The nonce lifetime is 1 s (conf/apache2.conf.in): wait well past it.
        await sleep(2200);

        const second = await get(caseId, '/stale/secret.txt', auth);
        expect(second.status).toBe(200);
        expect(second.data).toBe(secretText('apache', 'stale'));
        expect(second.history.map((h) => h.status)).toEqual([401]);
        const staleChallenge = authParams(String(second.history[0]!.headers['www-authenticate']));
        expect(staleChallenge.stale).toMatch(/^true$/i);

        const seen = await server().exchanges(caseId, 4);
        expect(seen.map((e) => e.status)).toEqual([401, 200, 401, 200]);
        // The warm call answered at once (with the old nonce or its nextnonce), and its retry
        // answered the stale challenge's new nonce, with the same credentials.
        expect(seen[2]!.authorization).toMatch(/^Digest /);
        expect(authParams(seen[3]!.authorization!)).toMatchObject({
          username: OLIVIA.username,
          nonce: staleChallenge.nonce,
          nc: '00000001',
        });
        expect(server().errorLog(from)).toMatch(/nonce expired/);
      },
      15_000,
    );
  },
);
