/**
 * Response bodies: with `requiresResponseBody` a flow reads every response's body, also when
 * the caller asked for `responseType: 'stream'`, and the caller still gets a readable stream of
 * the whole final body. Without it, intermediate streams are drained and the final one is the
 * adapter's own.
 */
import type { Readable } from 'node:stream';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import { Auth, AuthRequest, withAuth, type AuthFlow } from '../../src/index';
import { json, type Route } from '../support/httpbin';
import { rejectionOf, useHttpbin } from '../support/helpers';

const BIG = 200_000;

/**
 * `/challenge-stream`: 401 with a JSON body naming the token to use; with that token, 200 and
 * BIG bytes sent in chunks (a body that does not fit in one read).
 */
const challengeStream: Route = (request, response) => {
  if (!request.path.startsWith('/challenge-stream')) return false;
  if (request.headers['x-token'] !== 'from-the-401-body') {
    return json(response, 401, { token: 'from-the-401-body' });
  }
  response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  for (let sent = 0; sent < BIG; sent += 10_000) {
    response.write(Buffer.alloc(10_000, sent / 10_000));
  }
  response.end();
  return true;
};

const server = useHttpbin([challengeStream]);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function expectedBody(): Buffer {
  return Buffer.concat(Array.from({ length: BIG / 10_000 }, (_, i) => Buffer.alloc(10_000, i)));
}

/** Reads the token out of the 401's body (a Buffer when the caller asked for a stream). */
class TokenFromBody extends Auth {
  override readonly requiresResponseBody: boolean = true;
  readonly bodies: unknown[] = [];
  override *authFlow(request: AuthRequest): AuthFlow {
    const response = yield request;
    this.bodies.push(response.data);
    if (response.status !== 401) return;
    const data: unknown = response.data;
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : JSON.stringify(data);
    request.headers.set('X-Token', (JSON.parse(text) as { token: string }).token);
    yield request;
  }
}

describe("requiresResponseBody with responseType: 'stream'", () => {
  test('the flow reads the 401 body; the caller gets a stream of the whole final body', async () => {
    const auth = new TokenFromBody();
    const client = withAuth(axios.create({ auth }));
    const response = await client.get<Readable>(`${server().url}/challenge-stream`, {
      responseType: 'stream',
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(auth.bodies[0] as Uint8Array).toString()).toBe(
      '{"token":"from-the-401-body"}',
    );
    expect(typeof response.data.pipe).toBe('function');
    const body = await readAll(response.data);
    expect(body.length).toBe(BIG);
    expect(body.equals(expectedBody())).toBe(true);
    expect(server().requests).toHaveLength(2);
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
  });

  test('the flow also reads the body of a final response that is a stream', async () => {
    class ReadsFinal extends Auth {
      override readonly requiresResponseBody = true;
      length = -1;
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('X-Token', 'from-the-401-body');
        const response = yield request;
        this.length = (response.data as Uint8Array).length;
      }
    }
    const auth = new ReadsFinal();
    const client = withAuth(axios.create({ auth }));
    const response = await client.get<Readable>(`${server().url}/challenge-stream`, {
      responseType: 'stream',
    });
    expect(auth.length).toBe(BIG);
    expect((await readAll(response.data)).equals(expectedBody())).toBe(true);
  });

  test('without a stream, the flow sees the body as the responseType gives it (bytes, or JSON)', async () => {
    const auth = new TokenFromBody();
    const client = withAuth(axios.create({ auth }));
    const response = await client.get(`${server().url}/challenge-stream`, {
      responseType: 'arraybuffer',
    });
    expect(response.status).toBe(200);
    // The flow's view goes through the call's transformResponse, as the final body does.
    expect(Buffer.isBuffer(auth.bodies[0])).toBe(true);
    expect(Buffer.from(response.data as ArrayBuffer).equals(expectedBody())).toBe(true);

    const jsonAuth = new TokenFromBody();
    await withAuth(axios.create({ auth: jsonAuth })).get(`${server().url}/challenge-stream`);
    expect(jsonAuth.bodies[0]).toEqual({ token: 'from-the-401-body' });
  });
});

describe("with axios's fetch adapter, whose streams are WHATWG ReadableStreams", () => {
  async function readWeb(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      chunks.push(step.value);
    }
    return Buffer.concat(chunks);
  }

  test('requiresResponseBody: the flow reads the 401 body, the caller gets a web stream', async () => {
    const auth = new TokenFromBody();
    const client = withAuth(axios.create({ auth, adapter: 'fetch' }));
    const response = await client.get<ReadableStream<Uint8Array>>(
      `${server().url}/challenge-stream`,
      { responseType: 'stream' },
    );
    expect(response.status).toBe(200);
    expect(Buffer.from(auth.bodies[0] as Uint8Array).toString()).toBe(
      '{"token":"from-the-401-body"}',
    );
    expect(typeof response.data.getReader).toBe('function');
    expect((await readWeb(response.data)).equals(expectedBody())).toBe(true);
    expect(server().requests).toHaveLength(2);
  });

  test('without requiresResponseBody the final web stream is the adapter’s own', async () => {
    class Resend extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status === 401) {
          request.headers.set('X-Token', 'from-the-401-body');
          yield request;
        }
      }
    }
    const client = withAuth(axios.create({ auth: new Resend(), adapter: 'fetch' }));
    const response = await client.get<ReadableStream<Uint8Array>>(
      `${server().url}/challenge-stream`,
      { responseType: 'stream' },
    );
    expect((await readWeb(response.data)).equals(expectedBody())).toBe(true);
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
  });
});

describe("responseType: 'stream' without requiresResponseBody", () => {
  test('the final response is a readable stream of the whole body', async () => {
    class Resend extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status === 401) {
          request.headers.set('X-Token', 'from-the-401-body');
          yield request;
        }
      }
    }
    const client = withAuth(axios.create({ auth: new Resend() }));
    const response: AxiosResponse<Readable> = await client.get(`${server().url}/challenge-stream`, {
      responseType: 'stream',
    });
    expect(response.status).toBe(200);
    expect((await readAll(response.data)).equals(expectedBody())).toBe(true);
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
  });

  test('a rejected streamed call still rejects with its status and history', async () => {
    class GiveUp extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const response = yield request;
        if (response.status === 401) yield request;
      }
    }
    const client = withAuth(axios.create({ auth: new GiveUp() }));
    const error = await rejectionOf(
      client.get(`${server().url}/challenge-stream`, { responseType: 'stream' }),
    );
    const response = (error as { response: AxiosResponse }).response;
    expect(response.status).toBe(401);
    expect(response.history.map((earlier) => earlier.status)).toEqual([401]);
    expect(server().requests).toHaveLength(2);
  });
});
