/**
 * The token answer read strictly (RFC 6749 §5.1, §5.2), client authentication encoded as
 * §2.3.1 says, and OAuth2Error: fields, cross-build kind, nothing secret when printed.
 */
import { inspect } from 'node:util';
import type { AxiosResponse } from 'axios';
import { AxiosAuthFlowError, OAuth2Error } from '../../../src/errors';
import { readTokenAnswer, type AnswerContext } from '../../../src/schemes/oauth2/token';
import { clientSecretBasic, tokenRequest } from '../../../src/schemes/oauth2/token-request';

const context: AnswerContext = {
  previous: { accessToken: 'old', refreshToken: 'old-refresh' },
  requestedScope: 'read',
  now: 1_000_000,
  endpoint: 'https://id.example/token',
  secrets: ['client-secret', 'old-refresh'],
};

function answer(status: number, data: unknown): AxiosResponse {
  return { status, statusText: '', data, headers: {}, config: {} as never, history: [] };
}

const read = (status: number, data: unknown) => () =>
  readTokenAnswer(answer(status, data), context);

describe('a token answer (RFC 6749 §5.1)', () => {
  test('access_token, Bearer in any case, expires_in seconds, rotated refresh_token, scope', () => {
    const body = {
      access_token: 'AT',
      token_type: 'BEARER',
      expires_in: 60,
      refresh_token: 'RT2',
      scope: 'a b',
    };
    expect(read(200, JSON.stringify(body))()).toEqual({
      accessToken: 'AT',
      refreshToken: 'RT2',
      expiresAt: 1_060_000,
      scope: 'a b',
    });
  });

  test('expires_in as a numeric string is seconds too; absent means unknown', () => {
    expect(
      read(200, { access_token: 'AT', token_type: 'bearer', expires_in: '3600' })(),
    ).toMatchObject({
      expiresAt: 1_000_000 + 3_600_000,
    });
    expect(read(200, { access_token: 'AT', token_type: 'bearer' })().expiresAt).toBeUndefined();
  });

  test('no refresh_token in the answer keeps the old one (§6); no scope means the one asked for', () => {
    expect(read(200, { access_token: 'AT', token_type: 'Bearer' })()).toMatchObject({
      refreshToken: 'old-refresh',
      scope: 'read',
    });
  });

  test.each([
    ['an HTML page', 200, '<html><body>Login</body></html>', 'a body that is not a JSON object'],
    ['a 200 without access_token', 200, { token_type: 'Bearer' }, 'no access_token'],
    ['another token type', 200, { access_token: 'AT', token_type: 'mac' }, 'not Bearer'],
    ['no token type', 200, { access_token: 'AT' }, 'not Bearer'],
    [
      'expires_in in words',
      200,
      { access_token: 'AT', token_type: 'Bearer', expires_in: 'soon' },
      'expires_in',
    ],
    [
      'a negative expires_in',
      200,
      { access_token: 'AT', token_type: 'Bearer', expires_in: -1 },
      'expires_in',
    ],
    [
      'a token with a line break',
      200,
      { access_token: 'A\r\nX: y', token_type: 'Bearer' },
      'header',
    ],
    ['a JSON array', 200, '[]', 'not a JSON object'],
  ])('%s is an OAuth2Error, not a token', (_, status, data, problem) => {
    expect(read(status, data)).toThrow(OAuth2Error);
    expect(read(status, data)).toThrow(problem);
  });

  test('an error answer (§5.2) gives error, error_description, error_uri and the status', () => {
    const body = {
      error: 'invalid_grant',
      error_description: 'refresh token old-refresh is revoked',
      error_uri: 'https://id.example/errors#grant',
    };
    let error: OAuth2Error | undefined;
    try {
      read(400, JSON.stringify(body))();
    } catch (e) {
      error = e as OAuth2Error;
    }
    // A server that echoes the refresh token gets it neither into the message nor into the
    // fields, which a printed error shows.
    expect(error).toMatchObject({
      error: 'invalid_grant',
      errorDescription: 'refresh token [redacted] is revoked',
      errorUri: body.error_uri,
      status: 400,
    });
    expect(error!.message).toBe(
      'https://id.example/token answered 400 invalid_grant: refresh token [redacted] is revoked',
    );
    expect(inspect(error, { depth: 6 })).not.toContain('old-refresh');
    expect(JSON.stringify(error)).not.toContain('old-refresh');
    expect(error!.history.map((r) => r.status)).toEqual([400]);
  });

  test('a 500 HTML page: an OAuth2Error with the status and no code', () => {
    expect(read(500, '<h1>oops</h1>')).toThrow(
      'https://id.example/token answered 500 (no OAuth 2.0 error code)',
    );
  });
});

describe('client authentication (RFC 6749 §2.3.1)', () => {
  test('client_secret_basic form-encodes id and secret before Base64: ":" and non-ASCII survive', () => {
    const header = clientSecretBasic('app:1 ü', 'sé:cret+/%');
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('ascii');
    expect(decoded).toBe('app%3A1+%C3%BC:s%C3%A9%3Acret%2B%2F%25');
    const [id, secret] = decoded
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    expect([id, secret]).toEqual(['app:1 ü', 'sé:cret+/%']);
  });

  test('client_secret_basic: secret in the header, never in the body', () => {
    const config = tokenRequest(
      '/token',
      { clientId: 'a', clientSecret: 's', clientAuthentication: 'basic' },
      undefined,
      'read write',
    );
    expect(config.data).toBe('grant_type=client_credentials&scope=read+write');
    expect((config.headers as Record<string, string>)['Authorization']).toBe(
      clientSecretBasic('a', 's'),
    );
  });

  test('client_secret_post: id and secret in the body; a refresh sends no scope (§6)', () => {
    const config = tokenRequest(
      '/token',
      { clientId: 'a', clientSecret: 's', clientAuthentication: 'post' },
      { accessToken: 'x', refreshToken: 'r' },
      'read',
    );
    expect(config.data).toBe(
      'grant_type=refresh_token&refresh_token=r&client_id=a&client_secret=s',
    );
    expect(config.headers).not.toHaveProperty('Authorization');
  });

  test('a public client (no secret) names itself in the body (§3.2.1)', () => {
    const config = tokenRequest(
      '/token',
      { clientId: 'pub', clientSecret: undefined, clientAuthentication: 'basic' },
      { accessToken: 'x', refreshToken: 'r' },
      undefined,
    );
    expect(config.data).toBe('grant_type=refresh_token&refresh_token=r&client_id=pub');
    expect(config.headers).not.toHaveProperty('Authorization');
  });
});

describe('OAuth2Error', () => {
  test('is an AxiosAuthFlowError, named, with its history hidden from printouts', () => {
    const response = answer(400, { refresh_token: 'secret-refresh' });
    const error = new OAuth2Error('token endpoint answered 400 invalid_grant', {
      error: 'invalid_grant',
      status: 400,
      history: [response],
    });
    expect(error).toBeInstanceOf(AxiosAuthFlowError);
    expect(error.name).toBe('OAuth2Error');
    expect(error.history).toEqual([response]);
    expect(inspect(error, { depth: 10 })).not.toContain('secret-refresh');
    expect(JSON.stringify(error)).not.toContain('secret-refresh');
  });

  test("keeps its stack when axios appends each rejected caller's frames", () => {
    const error = new OAuth2Error('x');
    const stack = error.stack;
    error.stack = `${stack}\n    at caller (file.js:1:1)`;
    expect(error.stack).toBe(stack);
  });
});
