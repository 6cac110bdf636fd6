/**
 * Printing never shows a credential: an `AuthRequest` with the headers of signing schemes
 * (HTTP Message Signatures, webhook and AWS signatures, DPoP proofs), and an `AxiosError` of one
 * of our calls once `redactError` has been applied to it (by hand or by the one-line response
 * interceptor). Also pins down what axios itself keeps in such an error, which the README states.
 */
import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import { AuthFlowError, AuthRequest, BasicAuth, withAuth } from '../../src/index';
import { redactError } from '../../src/util/redaction';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

const SECRET = 'S3CR3T-value';

describe('an AuthRequest never prints the value of', () => {
  const secretHeaders = [
    'Authorization',
    'X-Api-Key',
    'X-Hub-Signature',
    'X-Hub-Signature-256',
    'X-Signature',
    'Signature',
    'Signature-Input',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
    'X-Amz-Credential',
    'X-Goog-Signature',
    'DPoP',
    'X-Sig',
    'X-Hmac-SHA256',
    'X-JWT-Assertion',
    'Proxy-Authorization',
    'Cookie',
  ];
  test.each(secretHeaders)('%s', (name) => {
    const request = new AuthRequest({ url: 'https://example.com/hook', method: 'post' });
    request.headers.set(name, `${SECRET}-${name}`);
    request.headers.set('X-Request-Id', 'visible-id');
    for (const printed of [
      inspect(request),
      JSON.stringify(request),
      `${String(inspect({ request }))}`,
    ]) {
      expect(printed).not.toContain(SECRET);
      expect(printed).toContain('[redacted]');
      expect(printed).toContain('visible-id');
    }
  });

  test('but shows headers that hold no credential', () => {
    const request = new AuthRequest({ url: 'https://example.com/' });
    for (const name of ['Content-Type', 'Accept', 'X-Amz-Date', 'Content-Digest', 'User-Agent']) {
      request.headers.set(name, `shown-${name}`);
    }
    const printed = JSON.stringify(request);
    for (const name of ['Content-Type', 'Accept', 'X-Amz-Date', 'Content-Digest', 'User-Agent']) {
      expect(printed).toContain(`shown-${name}`);
    }
  });
});

/** A call that fails with a 401, with credentials in every place axios keeps them. */
async function failedCall(client = withAuth(axios.create())): Promise<AxiosError> {
  const error = await rejectionOf(
    client.post(
      `${server().url}/status/401?access_token=${SECRET}-query&page=2`,
      `client_secret=${SECRET}-body&grant_type=client_credentials`,
      {
        auth: (request: AuthRequest) => {
          request.headers.set('Authorization', `Bearer ${SECRET}-authorization`);
          request.headers.set('X-Api-Key', `${SECRET}-key`);
          return request;
        },
        headers: { 'X-Request-Id': 'visible-id' },
      },
    ),
  );
  expect(error).toBeInstanceOf(AxiosError);
  return error as AxiosError;
}

describe('an AxiosError of our call', () => {
  test('keeps the credentials where axios keeps them (what the README says)', async () => {
    const error = await failedCall();
    // The headers sent, the Authorization and X-Api-Key the auth set included.
    expect(error.config?.headers.Authorization).toBe(`Bearer ${SECRET}-authorization`);
    expect(error.config?.headers['X-Api-Key']).toBe(`${SECRET}-key`);
    // Node's ClientRequest keeps the raw request head.
    expect((error.request as { _header?: string })._header).toContain(`${SECRET}-key`);
    // The response points back at both.
    expect(error.response?.config).toBe(error.config);
    expect(error.response?.request).toBe(error.request);
    // So axios's own printing shows them.
    expect(inspect(error)).toContain(`${SECRET}-authorization`);
    expect(JSON.stringify(error)).toContain(`${SECRET}-authorization`);
  });

  test('prints and serialises without them after redactError', async () => {
    const error = redactError(await failedCall());
    for (const printed of [
      inspect(error),
      JSON.stringify(error),
      inspect({ error }, { depth: 5 }),
    ]) {
      expect(printed).not.toContain(SECRET);
      expect(printed).toContain('Request failed with status code 401');
      expect(printed).toContain('visible-id');
      expect(printed).toContain('page=2');
      expect(printed).toContain('grant_type=client_credentials');
    }
    const json = JSON.parse(JSON.stringify(error)) as {
      status: number;
      config: { method: string };
    };
    expect(json.status).toBe(401);
    expect(json.config.method).toBe('post');
  });

  test('still retries with its config: redactError changes only how it prints', async () => {
    const error = redactError(await failedCall());
    expect(error.config?.headers['X-Api-Key']).toBe(`${SECRET}-key`);
    expect(Object.keys(error)).toEqual(Object.keys(await failedCall()));
    expect(error).toBeInstanceOf(AxiosError);
    expect(axios.isAxiosError(error)).toBe(true);
  });

  test('a [username, password] pair in config.auth is not printed', async () => {
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.get(`${server().url}/status/401`, { auth: ['user', `${SECRET}-password`] }),
    );
    expect(JSON.stringify(error)).toContain(`${SECRET}-password`); // axios's own toJSON
    redactError(error);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(inspect(error)).not.toContain(SECRET);
  });

  test('an auth object in config.auth prints as its own safe form', async () => {
    const client = withAuth(axios.create());
    const error = redactError(
      await rejectionOf(
        client.get(`${server().url}/status/401`, { auth: new BasicAuth('olivia', SECRET) }),
      ),
    );
    const json = JSON.parse(JSON.stringify(error)) as { config: { auth: unknown } };
    expect(json.config.auth).toEqual({
      type: 'BasicAuth',
      username: 'olivia',
      password: '[redacted]',
    });
  });

  test('the one-line interceptor makes every error of an instance safe', async () => {
    const client = withAuth(axios.create());
    client.interceptors.response.use(undefined, (error: Error) =>
      Promise.reject(redactError(error)),
    );
    const error = await failedCall(client);
    expect(inspect(error)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    // Errors that are not axios's pass through unchanged.
    const flowError = new AuthFlowError('boom');
    expect(redactError(flowError)).toBe(flowError);
    expect(Object.getOwnPropertyNames(flowError)).not.toContain('toJSON');
  });

  test('JSON and form bodies lose their credential fields, other bodies show their size', async () => {
    const client = withAuth(axios.create());
    const json = redactError(
      await rejectionOf(
        client.post(`${server().url}/status/400`, { refresh_token: SECRET, scope: 'read' }),
      ),
    );
    expect(JSON.stringify(json)).not.toContain(SECRET);
    expect(JSON.stringify(json)).toContain('read');
    const bytes = redactError(
      await rejectionOf(client.post(`${server().url}/status/400`, Buffer.from(SECRET))),
    );
    expect(JSON.stringify(bytes)).not.toContain(SECRET);
    expect(JSON.stringify(bytes)).toContain(`[${SECRET.length} bytes]`);
  });
});
