/**
 * The seed's three NetRC examples (httpx's docs), in TypeScript, against the in-process server:
 *
 *   withAuth(axios.create({ auth: new NetRCAuth() }));                              // ~/.netrc
 *   withAuth(axios.create({ auth: new NetRCAuth({ file: '/path/to/.netrc' }) }));
 *   withAuth(axios.create({ auth: new NetRCAuth({ file: process.env.NETRC }) }));   // or ~/.netrc
 *
 * HOME points at a temporary directory, so the user's real ~/.netrc is never read.
 */
import axios from 'axios';
import { NetRCAuth, withAuth } from '../../../src/index';
import { RecordingServer, TempDir, withEnv } from '../../support/netrc-helpers';

const server = new RecordingServer();
const home = new TempDir();
const elsewhere = new TempDir();

// The seed's example file, with the server's two names as the machines.
const seedNetrc = (first: string, second: string): string =>
  `machine ${first}\nlogin example-username\npassword example-password\n` +
  `machine ${second}\nlogin other-username\npassword other-password\n`;

const homeFile = home.write('.netrc', seedNetrc('127.0.0.1', 'example.org'));
const explicitFile = elsewhere.write('netrc', seedNetrc('localhost', '127.0.0.1'));

const sentBy = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

beforeAll(() => server.start());
afterAll(async () => {
  await server.stop();
  home.cleanup();
  elsewhere.cleanup();
});
beforeEach(() => server.take());

async function headersReceived(auth: NetRCAuth): Promise<(string | undefined)[]> {
  const client = withAuth(axios.create({ auth }));
  await client.get(server.url('127.0.0.1'));
  await client.get(server.url('localhost'));
  return server.take();
}

test('the default .netrc in the home directory', async () => {
  const auth = await withEnv({ HOME: home.path }, () => new NetRCAuth());
  expect(auth.file).toBe(homeFile);
  expect(await headersReceived(auth)).toEqual([
    sentBy('example-username', 'example-password'),
    undefined,
  ]);
});

test('an explicit path to a .netrc file', async () => {
  const auth = await withEnv({ HOME: home.path }, () => new NetRCAuth({ file: explicitFile }));
  expect(auth.file).toBe(explicitFile);
  expect(await headersReceived(auth)).toEqual([
    sentBy('other-username', 'other-password'),
    sentBy('example-username', 'example-password'),
  ]);
});

test('the NETRC environment variable names the file', async () => {
  const auth = await withEnv(
    { HOME: home.path, NETRC: explicitFile },
    () => new NetRCAuth({ file: process.env.NETRC }),
  );
  expect(auth.file).toBe(explicitFile);
  expect(await headersReceived(auth)).toEqual([
    sentBy('other-username', 'other-password'),
    sentBy('example-username', 'example-password'),
  ]);
});

test('NETRC unset falls back to the default .netrc', async () => {
  const auth = await withEnv(
    { HOME: home.path, NETRC: undefined },
    () => new NetRCAuth({ file: process.env.NETRC }),
  );
  expect(auth.file).toBe(homeFile);
  expect(await headersReceived(auth)).toEqual([
    sentBy('example-username', 'example-password'),
    undefined,
  ]);
});
