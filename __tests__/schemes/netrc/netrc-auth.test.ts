/**
 * NetRCAuth through the real driver against an in-process server on 127.0.0.1: which host gets
 * which credentials. `127.0.0.1` and `localhost` are two host names for the same server, so a
 * netrc entry for one must not reach the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import axios from 'axios';
import { AuthRequest, BasicAuth, NetRCAuth, withAuth } from '../../../src/index';
import { RecordingServer, TempDir } from '../../support/netrc-helpers';

const server = new RecordingServer();
const otherPort = new RecordingServer();
/** Where BasicAuth's own header is taken from, to compare with what NetRCAuth sent. */
const reference = new RecordingServer();
const dir = new TempDir();

beforeAll(async () => {
  await server.start();
  await otherPort.start();
  await reference.start();
});
afterAll(async () => {
  await server.stop();
  await otherPort.stop();
  await reference.stop();
  dir.cleanup();
});
beforeEach(() => {
  server.take();
  otherPort.take();
});

let files = 0;
function netrcAuth(text: string): NetRCAuth {
  return new NetRCAuth({ file: dir.write(`${++files}.netrc`, text) });
}

/** What BasicAuth sends for these credentials, as the server received it. */
async function basicHeader(username: string, password: string): Promise<string | undefined> {
  await withAuth(axios.create()).get(reference.url('127.0.0.1'), {
    auth: new BasicAuth(username, password),
  });
  const [header] = reference.take();
  expect(header).toMatch(/^Basic /);
  return header;
}

describe('credentials go to the host the file names, as Basic', () => {
  test('the listed host gets them, exactly as BasicAuth sends them; another name for the same server does not', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine 127.0.0.1 login alice password s3cret\n') }),
    );
    await client.get(server.url('127.0.0.1'));
    await client.get(server.url('localhost'));
    const [listed, unlisted] = server.take();
    expect(listed).toBe(await basicHeader('alice', 's3cret'));
    expect(listed).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(unlisted).toBeUndefined();
  });

  test('and the other way round: an entry for localhost does not reach 127.0.0.1', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine localhost login bob password hunter2\n') }),
    );
    await client.get(server.url('127.0.0.1'));
    await client.get(server.url('localhost'));
    expect(server.take()).toEqual([undefined, await basicHeader('bob', 'hunter2')]);
  });

  test('each host gets its own entry', async () => {
    const client = withAuth(
      axios.create({
        auth: netrcAuth(
          'machine 127.0.0.1 login alice password s3cret\nmachine localhost login bob password hunter2\n',
        ),
      }),
    );
    await client.get(server.url('localhost'));
    await client.get(server.url('127.0.0.1'));
    expect(server.take()).toEqual([
      await basicHeader('bob', 'hunter2'),
      await basicHeader('alice', 's3cret'),
    ]);
  });

  test('the port is ignored', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine 127.0.0.1 login alice password s3cret\n') }),
    );
    expect(otherPort.port).not.toBe(server.port);
    await client.get(otherPort.url('127.0.0.1'));
    expect(otherPort.take()).toEqual([await basicHeader('alice', 's3cret')]);
  });

  test('the host name matches without regard to case', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine LocalHost login bob password hunter2\n') }),
    );
    await client.get(server.url('localhost'));
    await client.get(server.url('LOCALHOST'));
    const expected = await basicHeader('bob', 'hunter2');
    expect(server.take()).toEqual([expected, expected]);
  });

  test('IPv6 literals and international names match as the parser keys them', () => {
    const auth = netrcAuth(
      'machine [::1] login six password v6\nmachine Bücher.example login idn password p\n',
    );
    const sent = (url: string) =>
      (auth.authFlow(new AuthRequest({ url })).next().value as AuthRequest).headers.get(
        'Authorization',
      );
    expect(sent('http://[::1]:8080/')).toBe(`Basic ${Buffer.from('six:v6').toString('base64')}`);
    expect(sent('http://xn--bcher-kva.example/')).toBe(
      `Basic ${Buffer.from('idn:p').toString('base64')}`,
    );
    expect(sent('http://bücher.example/')).toBe(sent('http://xn--bcher-kva.example/'));
    expect(sent('http://[::2]/')).toBeUndefined();
  });

  test('the default entry serves hosts without an entry of their own', async () => {
    const client = withAuth(
      axios.create({
        auth: netrcAuth(
          'default login anon password guest\nmachine 127.0.0.1 login alice password s3cret\n',
        ),
      }),
    );
    await client.get(server.url('localhost'));
    await client.get(server.url('127.0.0.1'));
    expect(server.take()).toEqual([
      await basicHeader('anon', 'guest'),
      await basicHeader('alice', 's3cret'),
    ]);
  });

  test('a host with no entry gets the request unchanged', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine elsewhere.example login alice password s3cret\n') }),
    );
    await client.get(server.url('127.0.0.1'));
    await client.get(server.url('127.0.0.1'), { headers: { Authorization: 'Bearer by-hand' } });
    expect(server.take()).toEqual([undefined, 'Bearer by-hand']);
  });

  test('an entry without a password gives no credentials, even with a default entry', async () => {
    const client = withAuth(
      axios.create({
        auth: netrcAuth('machine 127.0.0.1 login alice\ndefault login anon password guest\n'),
      }),
    );
    await client.get(server.url('127.0.0.1'));
    await client.get(server.url('localhost'));
    expect(server.take()).toEqual([undefined, await basicHeader('anon', 'guest')]);
  });

  test('UTF-8 credentials are sent as BasicAuth sends them', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine 127.0.0.1 login jörg password "pässwörd ✓"\n') }),
    );
    await client.get(server.url('127.0.0.1'));
    const [received] = server.take();
    expect(received).toBe(await basicHeader('jörg', 'pässwörd ✓'));
    expect(received).toBe(`Basic ${Buffer.from('jörg:pässwörd ✓', 'utf8').toString('base64')}`);
  });

  test('works as a per-request auth too', async () => {
    const auth = netrcAuth('machine 127.0.0.1 login alice password s3cret\n');
    const client = withAuth(axios.create());
    await client.get(server.url('127.0.0.1'), { auth });
    await client.get(server.url('127.0.0.1'));
    expect(server.take()).toEqual([await basicHeader('alice', 's3cret'), undefined]);
  });
});

describe('redirects', () => {
  test('a redirect to another host carries no credentials, even one the file lists', async () => {
    const client = withAuth(
      axios.create({
        auth: netrcAuth(
          'machine 127.0.0.1 login alice password s3cret\nmachine localhost login bob password hunter2\n',
        ),
      }),
    );
    const target = server.url('localhost', '/landed');
    const response = await client.get(server.url('127.0.0.1', `/redirect?to=${target}`));
    expect(response.status).toBe(200);
    expect(server.received.map((r) => [r.host, r.path])).toEqual([
      [`127.0.0.1:${server.port}`, `/redirect?to=${target}`],
      [`localhost:${server.port}`, '/landed'],
    ]);
    expect(server.take()).toEqual([await basicHeader('alice', 's3cret'), undefined]);
  });

  test('a redirect on the same host keeps them', async () => {
    const client = withAuth(
      axios.create({ auth: netrcAuth('machine 127.0.0.1 login alice password s3cret\n') }),
    );
    await client.get(server.url('127.0.0.1', `/redirect?to=/landed`));
    const expected = await basicHeader('alice', 's3cret');
    expect(server.take()).toEqual([expected, expected]);
  });
});

describe('the file', () => {
  test('is read once, when the NetRCAuth is made', async () => {
    const file = dir.write('read-once.netrc', 'machine 127.0.0.1 login alice password s3cret\n');
    const auth = new NetRCAuth(file);
    fs.writeFileSync(file, 'machine 127.0.0.1 login mallory password changed\n');
    await withAuth(axios.create({ auth })).get(server.url('127.0.0.1'));
    fs.rmSync(file);
    await withAuth(axios.create({ auth })).get(server.url('127.0.0.1'));
    const expected = await basicHeader('alice', 's3cret');
    expect(server.take()).toEqual([expected, expected]);
  });

  test('a relative path is taken from the working directory and shown absolute', () => {
    dir.write('relative.netrc', 'machine a.example login alice password s3cret\n');
    const cwd = process.cwd();
    process.chdir(dir.path);
    try {
      expect(new NetRCAuth('relative.netrc').file).toBe(path.join(process.cwd(), 'relative.netrc'));
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('printing a NetRCAuth never shows a password', () => {
  const auth = (): NetRCAuth =>
    netrcAuth(
      'machine 127.0.0.1 login alice password s3cret\ndefault login anon password "gu est"\n',
    );

  test('util.inspect and console.log', () => {
    const printed = auth();
    const shown = util.inspect(printed, { showHidden: true, depth: 5 });
    expect(shown).toContain('NetRCAuth');
    expect(shown).toContain('.netrc');
    expect(shown).not.toMatch(/s3cret|gu est|YWxpY2U6czNjcmV0/);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      console.log(printed);
      expect(util.format(...(log.mock.calls[0] ?? []))).toBe(util.inspect(printed));
    } finally {
      log.mockRestore();
    }
  });

  test('JSON.stringify and string conversion', () => {
    const a = auth();
    const json = JSON.stringify(a);
    expect(JSON.parse(json)).toEqual({ type: 'NetRCAuth', file: a.file, passwords: '[redacted]' });
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what String() prints is the point
    expect(`${String(a)} ${Object.keys(a).join()}`).not.toMatch(/s3cret|gu est|alice/);
  });
});
