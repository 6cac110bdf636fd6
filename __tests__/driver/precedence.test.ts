/**
 * Which auth applies to a call, as in httpx: the request's `auth` over the client's, the
 * client's over credentials in the URL; `auth: null` opts out of the client's default, while
 * URL credentials still apply; an auth object's Authorization replaces one set by hand.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, AuthRequest, BasicAuth, withAuth, type AuthFlow } from '../../src/index';
import { basicHeader, rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** `http://user:pass@127.0.0.1:PORT` */
function withUserinfo(userinfo: string): string {
  return server().url.replace('http://', `http://${userinfo}@`);
}

function authorizations(): unknown[] {
  return server().requests.map((request) => request.headers.authorization);
}

describe('per-request auth over the client default', () => {
  test('each auth form on a request wins over the client default', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('client', 'default') }));
    const url = `${server().url}/anything`;
    await client.get(url);
    await client.get(url, { auth: ['tuple', 'form'] });
    await client.get(url, { auth: { username: 'axios', password: 'form' } });
    await client.get(url, { auth: new BasicAuth('object', 'form') });
    await client.get(url, {
      auth: (request: AuthRequest) => {
        request.headers.set('Authorization', 'Token function');
        return request;
      },
    });
    expect(authorizations()).toEqual([
      basicHeader('client', 'default'),
      basicHeader('tuple', 'form'),
      basicHeader('axios', 'form'),
      basicHeader('object', 'form'),
      'Token function',
    ]);
  });

  test('the client default applies to every method and to the instance called as a function', async () => {
    const client = withAuth(axios.create({ baseURL: server().url, auth: ['c', 'd'] }));
    await client.post('/anything', { a: 1 });
    await client.put('/anything', 'x');
    await client.delete('/anything');
    await client({ url: '/anything', method: 'patch', data: 'y' });
    await client('/anything');
    await client.request({ url: '/anything' });
    expect(authorizations()).toEqual(Array(6).fill(basicHeader('c', 'd')));
  });

  test('a client default set after withAuth, on instance.defaults, applies', async () => {
    const client = withAuth(axios.create());
    client.defaults.auth = { username: 'late', password: 'default' };
    await client.get(`${server().url}/anything`);
    expect(authorizations()).toEqual([basicHeader('late', 'default')]);
  });
});

describe('auth: null', () => {
  test('opts a request out of the client default', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('client', 'default') }));
    const response = await client.get(`${server().url}/anything`, { auth: null });
    expect(response.status).toBe(200);
    expect(response.history).toEqual([]);
    expect(authorizations()).toEqual([undefined]);
  });

  test('still leaves URL credentials to apply, as in httpx', async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('client', 'default') }));
    await client.get(`${withUserinfo('url-user:url-pass')}/anything`, { auth: null });
    expect(authorizations()).toEqual([basicHeader('url-user', 'url-pass')]);
  });

  test('with the mock adapter: no auth and no Authorization reach it', async () => {
    const client = withAuth(axios.create({ auth: ['client', 'default'] }));
    const mock = new MockAdapter(client);
    const seen: unknown[] = [];
    mock.onGet('/x').reply((config) => {
      seen.push([config.auth, config.headers?.Authorization]);
      return [200];
    });
    await client.get('/x', { auth: null });
    // null, not undefined: a passThrough merges the config again, and must not find an auth.
    expect(seen).toEqual([[null, undefined]]);
  });

  test("undefined is not null: as in axios, a request's auth: undefined means the client's default", async () => {
    const client = withAuth(axios.create({ auth: new BasicAuth('client', 'default') }));
    // (A type error under exactOptionalPropertyTypes, which this repository sets; not for most users.)
    const config = { auth: undefined } as unknown as AxiosRequestConfig;
    await client.get(`${server().url}/anything`, config);
    expect(authorizations()).toEqual([basicHeader('client', 'default')]);
  });

  test('with the mock adapter passing through: a call whose auth an interceptor removed sends none', async () => {
    const client = withAuth(axios.create({ baseURL: server().url, auth: ['client', 'default'] }));
    client.interceptors.request.use((config) => {
      if (config.url === '/anything') delete config.auth;
      return config;
    });
    new MockAdapter(client, { onNoMatch: 'passthrough' });
    const response = await client.get('/anything');
    expect(authorizations()).toEqual([undefined]);
    // And a retry of it stays without auth.
    await client.request(response.config);
    expect(authorizations()).toEqual([undefined, undefined]);
  });
});

describe('credentials in the URL', () => {
  test('are used as Basic when nothing else is set, and are not sent in the URL', async () => {
    const client = withAuth(axios.create());
    const response = await client.get(`${withUserinfo('finley:secret')}/basic-auth/finley/secret`);
    expect(response.status).toBe(200);
    expect(authorizations()).toEqual([basicHeader('finley', 'secret')]);
    expect(server().requests[0]?.path).toBe('/basic-auth/finley/secret');
  });

  test('are percent-decoded and sent as UTF-8', async () => {
    const client = withAuth(axios.create());
    await client.get(`${withUserinfo('j%C3%BCrgen:p%40ss%3Aword')}/anything`);
    expect(authorizations()).toEqual([basicHeader('jürgen', 'p@ss:word')]);
  });

  test('in the baseURL are used too', async () => {
    const client = withAuth(axios.create({ baseURL: withUserinfo('base:url') }));
    await client.get('/anything');
    expect(authorizations()).toEqual([basicHeader('base', 'url')]);
  });

  test('in the baseURL are not sent to an absolute URL, which replaces the baseURL', async () => {
    // httpx merges an absolute URL over base_url, credentials included: none are left.
    const client = withAuth(axios.create({ baseURL: `${withUserinfo('base:url')}/base` }));
    await client.get(`${server().url}/anything/absolute`);
    expect(authorizations()).toEqual([undefined]);
    expect(server().requests[0]?.path).toBe('/anything/absolute');
  });

  test("an absolute URL's own credentials win over the baseURL's", async () => {
    const client = withAuth(axios.create({ baseURL: withUserinfo('base:url') }));
    await client.get(`${withUserinfo('own:creds')}/anything`);
    expect(authorizations()).toEqual([basicHeader('own', 'creds')]);
  });

  test("an unencoded '@' in the password is read as URL parsers read it (the last '@')", async () => {
    const client = withAuth(axios.create());
    await client.get(`${withUserinfo('user:p@ss')}/anything`);
    expect(authorizations()).toEqual([basicHeader('user', 'p@ss')]);
    expect(server().requests[0]?.path).toBe('/anything');
  });

  test("an '@' in the path or query is not userinfo: the URL is sent unchanged", async () => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything/a@b?email=me@example.com`);
    expect(authorizations()).toEqual([undefined]);
    expect(server().requests[0]?.path).toBe('/anything/a@b?email=me@example.com');
  });

  test('credentials that are not valid percent-encoding: clear error, nothing sent', async () => {
    const client = withAuth(axios.create());
    const error = await rejectionOf(client.get(`${withUserinfo('user:s3cret%E0%A4%A')}/anything`));
    expect(error).toEqual(
      new TypeError('axios-auth-flow: the credentials in the URL are not valid percent-encoding'),
    );
    expect(server().requests).toHaveLength(0);
  });

  test("lose to the client's auth", async () => {
    const client = withAuth(axios.create({ auth: ['client', 'wins'] }));
    await client.get(`${withUserinfo('url:loses')}/anything`);
    expect(authorizations()).toEqual([basicHeader('client', 'wins')]);
  });

  test("lose to the request's auth", async () => {
    const client = withAuth(axios.create());
    await client.get(`${withUserinfo('url:loses')}/anything`, { auth: ['request', 'wins'] });
    expect(authorizations()).toEqual([basicHeader('request', 'wins')]);
  });

  test('a custom flow sees the URL without the credentials', async () => {
    const seen: string[] = [];
    class Looks extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        seen.push(request.url.href);
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.get(`${withUserinfo('u:p')}/anything?q=1`, { auth: new Looks() });
    expect(seen).toEqual([`${server().url}/anything?q=1`]);
    expect(authorizations()).toEqual([undefined]);
  });
});

describe('an Authorization header set by hand', () => {
  test('is replaced by the auth object’s, as in httpx', async () => {
    const client = withAuth(axios.create({ auth: ['user', 'pass'] }));
    await client.get(`${server().url}/anything`, { headers: { Authorization: 'Bearer by-hand' } });
    expect(authorizations()).toEqual([basicHeader('user', 'pass')]);
  });

  test('is sent as is when there is no auth', async () => {
    const client = withAuth(axios.create());
    await client.get(`${server().url}/anything`, { headers: { Authorization: 'Bearer by-hand' } });
    expect(authorizations()).toEqual(['Bearer by-hand']);
  });

  test('in lower case is replaced too, not sent twice', async () => {
    const client = withAuth(axios.create({ auth: ['user', 'pass'] }));
    await client.get(`${server().url}/anything`, { headers: { authorization: 'Bearer by-hand' } });
    expect(server().requests[0]?.headers.authorization).toBe(basicHeader('user', 'pass'));
  });
});
