/**
 * BearerAuth (RFC 6750 §2.1): a fixed token, or a function asked once per call (sync or async);
 * bad tokens refused before anything is sent, and never printed.
 */
import { inspect } from 'node:util';
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth } from '../../src/auth';
import { AuthRequest } from '../../src/request';
import { withAuth } from '../../src/index';
import { BearerAuth } from '../../src/schemes/bearer';

function clientWith(auth: BearerAuth) {
  const client = withAuth(axios.create({ auth }));
  const mock = new MockAdapter(client);
  const seen: unknown[] = [];
  mock.onGet('https://api.example/r').reply((config) => {
    seen.push(config.headers?.['Authorization']);
    return [200];
  });
  return { client, seen };
}

describe('BearerAuth', () => {
  test('a fixed token goes on every request', async () => {
    const { client, seen } = clientWith(new BearerAuth('abc.def'));
    await client.get('https://api.example/r');
    await client.get('https://api.example/r');
    expect(seen).toEqual(['Bearer abc.def', 'Bearer abc.def']);
  });

  test('a fixed token leaves asyncAuthFlow inherited (the driver steps the plain generator)', () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compares the methods, calls neither
    expect(new BearerAuth('t').asyncAuthFlow).toBe(Auth.prototype.asyncAuthFlow);
  });

  test('a function is asked once per call, sync or async', async () => {
    let n = 0;
    const sync = clientWith(new BearerAuth(() => `sync-${++n}`));
    await sync.client.get('https://api.example/r');
    await sync.client.get('https://api.example/r');
    expect(sync.seen).toEqual(['Bearer sync-1', 'Bearer sync-2']);
    const later = clientWith(new BearerAuth(async () => 'from-a-vault'));
    await later.client.get('https://api.example/r');
    expect(later.seen).toEqual(['Bearer from-a-vault']);
  });

  test('the flow can be driven by hand, with no transport', () => {
    const request = new AuthRequest({ url: 'https://api.example/r' });
    const step = new BearerAuth(() => 'hand').authFlow(request).next();
    expect((step.value as AuthRequest).headers.get('Authorization')).toBe('Bearer hand');
  });

  test('an async function driven through the sync authFlow says which flow to drive', () => {
    const flow = new BearerAuth(async () => 't').authFlow(new AuthRequest({ url: 'https://x/' }));
    expect(() => flow.next()).toThrow('drive asyncAuthFlow');
  });

  test('bad tokens: a TypeError before anything is sent, never quoting the token', async () => {
    expect(() => new BearerAuth('')).toThrow('BearerAuth: the token must be a non-empty string');
    expect(() => new BearerAuth('sekrit\r\nX-Evil: 1')).toThrow(
      'BearerAuth: the token contains whitespace, a control character or a non-ASCII character',
    );
    expect(() => new BearerAuth('sekr\u00e9t')).toThrow('a non-ASCII character');
    expect(() => new BearerAuth('sekrit\x01')).toThrow('a control character');
    const { client, seen } = clientWith(new BearerAuth(async () => 'sekrit value'));
    const error = await client.get('https://api.example/r').catch((e: unknown) => e);
    expect(String(error)).toBe(
      'TypeError: BearerAuth: the token contains whitespace, a control character or a non-ASCII character',
    );
    expect(seen).toEqual([]);
  });

  test('never printed', () => {
    const auth = new BearerAuth('sekrit-token');
    expect(inspect(auth)).toBe("BearerAuth { token: '[redacted]' }");
    expect(JSON.stringify(auth)).toBe('{"type":"BearerAuth","token":"[redacted]"}');
  });
});
