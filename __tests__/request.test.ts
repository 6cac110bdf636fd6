/**
 * AuthRequest, the request a flow sees: method, the URL as on the wire, headers, content; a
 * clone that can be changed on its own; and printing that never shows a credential.
 */
import { inspect } from 'node:util';
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, AuthRequest, withAuth, type AuthAxiosInstance, type AuthFlow } from '../src/index';
import { requestPlace } from '../src/request';
import { useHttpbin } from './support/helpers';

const server = useHttpbin();

/** Runs one call and hands back the AuthRequest its flow saw. */
async function seenBy(
  call: (client: AuthAxiosInstance, auth: Auth) => Promise<unknown>,
  instanceConfig: Parameters<typeof axios.create>[0] = {},
): Promise<AuthRequest> {
  let seen: AuthRequest | undefined;
  class Spy extends Auth {
    override *authFlow(request: AuthRequest): AuthFlow {
      seen = request;
      yield request;
    }
  }
  const client = withAuth(axios.create(instanceConfig));
  new MockAdapter(client).onAny().reply(200);
  await call(client, new Spy());
  if (!seen) throw new Error('the flow did not run');
  return seen;
}

describe('what a flow sees', () => {
  test('method in upper case; url with baseURL and params applied, as on the wire', async () => {
    const request = await seenBy(
      (client, auth) => client.post('items/', 'x', { auth, params: { q: 'a b', n: 1 } }),
      { baseURL: 'https://api.example.com/v1/' },
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBeInstanceOf(URL);
    expect(request.url.href).toBe('https://api.example.com/v1/items/?q=a+b&n=1');
  });

  test('headers are AxiosHeaders with what request interceptors and defaults set', async () => {
    const request = await seenBy((client, auth) => client.get('https://x.test/', { auth }), {
      headers: { 'X-Default': 'd' },
    });
    expect(request.headers).toBeInstanceOf(axios.AxiosHeaders);
    expect(request.headers.get('X-Default')).toBe('d');
    expect(request.headers.get('Accept')).toBe('application/json, text/plain, */*');
  });

  test('content is the serialised body; the config is there for anything else', async () => {
    const request = await seenBy((client, auth) =>
      client.put('https://x.test/', { a: 1 }, { auth, timeout: 1234, responseType: 'json' }),
    );
    expect(new TextDecoder().decode(request.content)).toBe('{"a":1}');
    expect(request.config.timeout).toBe(1234);
    expect(request.config.responseType).toBe('json');
  });

  test('a GET without a body has empty content', async () => {
    const request = await seenBy((client, auth) => client.get('https://x.test/', { auth }));
    expect(request.content).toEqual(new Uint8Array(0));
  });

  test('setting url sends the request there, with its own query and no params added', async () => {
    class Elsewhere extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.url = `${server().url}/anything/moved?only=this`;
        yield request;
      }
    }
    const client = withAuth(axios.create({ baseURL: `${server().url}/base` }));
    await client.get('/path', { auth: new Elsewhere(), params: { dropped: 1 } });
    expect(server().requests.map((r) => r.path)).toEqual(['/anything/moved?only=this']);
  });

  test('changing method sends that method', async () => {
    class Head extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.method = 'PUT';
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.post(`${server().url}/anything`, 'x', { auth: new Head() });
    expect(server().requests.map((r) => r.method)).toEqual(['PUT']);
  });
});

describe('clone()', () => {
  test('a clone has its own headers, url and method; the original is unchanged', () => {
    const original = new AuthRequest({
      method: 'get',
      url: 'https://example.com/a',
      headers: { 'X-Shared': '1' },
    });
    const copy = original.clone();
    copy.headers.set('X-Shared', '2');
    copy.headers.set('Authorization', 'Token copy');
    copy.url = 'https://example.com/b';
    copy.method = 'POST';
    expect(original.headers.get('X-Shared')).toBe('1');
    expect(original.headers.has('Authorization')).toBe(false);
    expect(original.url.href).toBe('https://example.com/a');
    expect(original.method).toBe('GET');
    expect(copy.headers.get('X-Shared')).toBe('2');
  });

  test('over HTTP, the clone and the original are sent as each one is', async () => {
    class CloneFirst extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const probe = request.clone();
        probe.headers.set('X-Probe', 'yes');
        yield probe;
        request.headers.set('X-Real', 'yes');
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { auth: new CloneFirst() });
    expect(server().requests.map((r) => [r.headers['x-probe'], r.headers['x-real']])).toEqual([
      ['yes', undefined],
      [undefined, 'yes'],
    ]);
  });
});

describe('printing an AuthRequest never shows a credential', () => {
  function secretRequest(): AuthRequest {
    const request = new AuthRequest({
      method: 'post',
      url: 'https://user:url-s3cret@example.com/path?q=1',
      headers: {
        Authorization: 'Basic c2VjcmV0LXZhbHVl',
        'Proxy-Authorization': 'Basic cHJveHktczNjcmV0',
        Cookie: 'session=c00kie-s3cret',
        'X-Authentication': 'x-authn-s3cret',
        'X-Api-Key': 'api-key-s3cret',
        'X-Auth-Token': 'auth-token-s3cret',
        'X-Session-Id': 'session-id-s3cret',
        'X-Client-Secret': 'client-s3cret',
        'X-Password': 'passw0rd-s3cret',
        'X-Visible': 'shown',
        Accept: 'application/json',
      },
    });
    return request;
  }

  const secrets = [
    'c2VjcmV0LXZhbHVl',
    'cHJveHktczNjcmV0',
    'c00kie-s3cret',
    'url-s3cret',
    'x-authn-s3cret',
    'api-key-s3cret',
    'auth-token-s3cret',
    'session-id-s3cret',
    'client-s3cret',
    'passw0rd-s3cret',
  ];

  test.each([
    ['util.inspect', (request: AuthRequest) => inspect(request, { depth: 10 })],
    ['JSON.stringify', (request: AuthRequest) => JSON.stringify(request)],
    ['inspect inside an object', (request: AuthRequest) => inspect({ request }, { depth: 10 })],
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what String() prints is the point
    ['String()', (request: AuthRequest) => String(request)],
  ])('%s', (_how, show) => {
    const text = show(secretRequest());
    for (const secret of secrets) expect(text).not.toContain(secret);
    if (!text.startsWith('[object')) expect(text).toContain('shown');
  });

  test('console.log shows method, URL without the password, and redacted headers', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      console.log(secretRequest());
      const printed = inspect(log.mock.calls[0]?.[0]);
      for (const secret of secrets) expect(printed).not.toContain(secret);
      expect(printed).toContain('POST https://');
      expect(printed).toContain('example.com/path?q=1');
      expect(printed).toContain('[redacted]');
    } finally {
      log.mockRestore();
    }
  });

  test('JSON shows what is safe', () => {
    expect(JSON.parse(JSON.stringify(secretRequest()))).toEqual({
      method: 'POST',
      url: 'https://[redacted]@example.com/path?q=1',
      headers: {
        Authorization: '[redacted]',
        'Proxy-Authorization': '[redacted]',
        Cookie: '[redacted]',
        'X-Authentication': '[redacted]',
        'X-Api-Key': '[redacted]',
        'X-Auth-Token': '[redacted]',
        'X-Session-Id': '[redacted]',
        'X-Client-Secret': '[redacted]',
        'X-Password': '[redacted]',
        'X-Visible': 'shown',
        Accept: 'application/json',
      },
    });
  });

  test('a credential in the query string is not printed either', () => {
    const request = new AuthRequest({
      url: 'https://example.com/cb?access_token=sekrit&state=ok',
    });
    const printed = `${inspect(request)} ${JSON.stringify(request)}`;
    expect(printed).not.toContain('sekrit');
    expect(JSON.parse(JSON.stringify(request)).url).toBe(
      'https://example.com/cb?access_token=[redacted]&state=ok',
    );
  });

  test('the request a flow sees, once authenticated, prints no Authorization value', async () => {
    let printed = '';
    class Prints extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('Authorization', 'Token t0ken-s3cret');
        printed = inspect(request) + JSON.stringify(request);
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { auth: new Prints() });
    expect(printed).not.toContain('t0ken-s3cret');
    expect(printed).toContain('[redacted]');
  });

  test("the README's custom flow: its X-Authentication token is not printed", async () => {
    let printed = '';
    class TokenAuth extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('X-Authentication', 't0ken-s3cret');
        const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
          console.log(request);
          printed = inspect(log.mock.calls[0]?.[0]) + JSON.stringify(request);
        } finally {
          log.mockRestore();
        }
        yield request;
      }
    }
    const client = withAuth(axios.create());
    const r = await client.get(`${server().url}/anything`, { auth: new TokenAuth() });
    expect(r.status).toBe(200);
    expect(printed).not.toContain('t0ken-s3cret');
    expect(printed).toContain('"X-Authentication":"[redacted]"');
  });
});

describe('place: what Digest looks up and hashes, without a URL per call', () => {
  const placeOf = (request: AuthRequest): unknown => ({ ...requestPlace(request) });
  const expected = (request: AuthRequest): unknown => ({
    origin: request.url.origin,
    pathname: request.url.pathname,
    target: request.target,
  });

  test.each([
    ['an absolute URL', { url: 'https://Example.COM:443/a/./b/../c?x=1&y=%20' }],
    ['baseURL and a relative url', { baseURL: 'http://h:8080/api/', url: '/v1/items?q=é' }],
    ['params', { url: 'http://h/p', params: { q: "it's", n: 2 } }],
    ['a relative URL and no baseURL', { url: '/relative?z=1' }],
  ])('%s: the same as the parsed URL gives', (_name, config) => {
    const first = new AuthRequest(config);
    const again = new AuthRequest(config);
    const place = placeOf(first);
    expect(place).toEqual(expected(new AuthRequest(config)));
    expect(placeOf(again)).toEqual(place);
  });

  test('a URL object changed in place between calls: each call gets its place as it is now', () => {
    // axios's typings take a string url, its adapters also a URL object.
    const url = new URL('http://a.example/one');
    const first = requestPlace(new AuthRequest({ url: url as unknown as string }));
    url.host = 'b.example:8080';
    url.searchParams.set('page', '2');
    const second = requestPlace(new AuthRequest({ url: url as unknown as string }));
    expect(first).toEqual({ origin: 'http://a.example', pathname: '/one', target: '/one' });
    expect(second).toEqual({
      origin: 'http://b.example:8080',
      pathname: '/one',
      target: '/one?page=2',
    });
  });

  test('another URL after it gives its own place, and a URL the flow set is followed', () => {
    const a = new AuthRequest({ url: 'http://a.example/one' });
    const b = new AuthRequest({ url: 'http://b.example/two?k=v' });
    expect(requestPlace(a).origin).toBe('http://a.example');
    expect(requestPlace(b)).toEqual({
      origin: 'http://b.example',
      pathname: '/two',
      target: '/two?k=v',
    });
    expect(requestPlace(new AuthRequest({ url: 'http://a.example/one' })).target).toBe('/one');

    b.url = 'https://c.example:8443/three?m=1';
    expect(requestPlace(b)).toEqual({
      origin: 'https://c.example:8443',
      pathname: '/three',
      target: '/three?m=1',
    });
  });
});
