/**
 * Request bodies across the exchanges of a flow: `request.content` is the bytes the server gets,
 * whatever the body was (object, string, Buffer, URLSearchParams, FormData, stream); a body is
 * serialised once and a stream read once; a changed body travels with no stale Content-Length;
 * a stream that a send consumed cannot silently be resent empty.
 */
import { Readable } from 'node:stream';
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { Auth, AuthFlowError, AuthRequest, withAuth, type AuthFlow } from '../../src/index';
import { rejectionOf, useHttpbin } from '../support/helpers';

const server = useHttpbin();

/** Sends the request twice, recording `request.content` as the flow saw it before each send. */
class SendTwice extends Auth {
  override readonly requiresRequestBody: boolean = true;
  readonly contents: Buffer[] = [];
  override *authFlow(request: AuthRequest): AuthFlow {
    this.contents.push(Buffer.from(request.content));
    request.headers.set('X-Send', '1');
    yield request;
    this.contents.push(Buffer.from(request.content));
    request.headers.set('X-Send', '2');
    yield request;
  }
}

/** A readable stream of several chunks that counts how many times it is read. */
function countingStream(chunks: string[]): { stream: Readable; reads: () => number } {
  let reads = 0;
  async function* produce(): AsyncGenerator<Buffer> {
    reads += 1;
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  return { stream: Readable.from(produce()), reads: () => reads };
}

describe('requiresRequestBody: request.content is what the server receives, on every send', () => {
  const cases: [string, () => unknown, string][] = [
    ['an object (serialised as JSON)', () => ({ a: 1, text: 'é' }), '{"a":1,"text":"é"}'],
    ['a string', () => 'plain text body', 'plain text body'],
    ['a Buffer', () => Buffer.from([0x00, 0xff, 0x10, 0x80]), '\u0000\ufffd\u0010\ufffd'],
    ['URLSearchParams', () => new URLSearchParams({ a: '1', b: 'x y' }), 'a=1&b=x+y'],
  ];

  test.each(cases)('%s', async (_name, makeBody, text) => {
    const auth = new SendTwice();
    const client = withAuth(axios.create());
    const body = makeBody();
    const response = await client.post(`${server().url}/anything`, body, { auth });
    expect(response.status).toBe(200);
    const [first, second] = server().requests;
    expect(server().requests).toHaveLength(2);
    expect(auth.contents[0]?.equals(first!.body)).toBe(true);
    expect(auth.contents[1]?.equals(second!.body)).toBe(true);
    expect(first!.body.equals(second!.body)).toBe(true);
    expect(first!.body.toString('utf8')).toBe(text);
    expect(second!.headers['content-length']).toBe(String(second!.body.length));
  });

  test('the object body reaches the server as JSON with its Content-Type, both times', async () => {
    const client = withAuth(axios.create());
    await client.post(`${server().url}/anything`, { a: 1 }, { auth: new SendTwice() });
    for (const request of server().requests) {
      expect(JSON.parse(request.body.toString('utf8'))).toEqual({ a: 1 });
      expect(request.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  test('a Readable stream is read once and the same bytes are sent twice', async () => {
    const { stream, reads } = countingStream(['first chunk, ', 'second chunk, ', 'third']);
    const auth = new SendTwice();
    const client = withAuth(axios.create());
    const response = await client.post(`${server().url}/anything`, stream, {
      auth,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(response.status).toBe(200);
    expect(reads()).toBe(1);
    const sent = server().requests.map((request) => request.body.toString('utf8'));
    expect(sent).toEqual(['first chunk, second chunk, third', 'first chunk, second chunk, third']);
    expect(auth.contents.map((content) => content.toString('utf8'))).toEqual(sent);
  });

  test('FormData is read once into multipart bytes, sent twice with its boundary', async () => {
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob(['file contents'], { type: 'text/plain' }), 'a.txt');
    const auth = new SendTwice();
    const client = withAuth(axios.create());
    await client.post(`${server().url}/anything`, form, { auth });
    const [first, second] = server().requests;
    expect(first!.body.equals(second!.body)).toBe(true);
    const boundary = /boundary=(.+)$/.exec(String(first!.headers['content-type']))?.[1];
    expect(boundary).toBeDefined();
    expect(first!.body.toString('utf8')).toContain(`--${boundary}`);
    expect(first!.body.toString('utf8')).toContain('file contents');
    expect(auth.contents[0]?.equals(first!.body)).toBe(true);
  });

  test('with the mock adapter a stream body is handed over as the bytes read', async () => {
    const client = withAuth(axios.create());
    const mock = new MockAdapter(client);
    const received: string[] = [];
    mock.onPost('/upload').reply((config) => {
      received.push(Buffer.from(config.data as Uint8Array).toString('utf8'));
      return [200];
    });
    const { stream } = countingStream(['a', 'b', 'c']);
    await client.post('/upload', stream, { auth: new SendTwice() });
    expect(received).toEqual(['abc', 'abc']);
  });
});

describe("with axios's fetch adapter, a WHATWG ReadableStream body", () => {
  function webStream(chunks: string[]): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
  }

  test('with requiresRequestBody is read once and the same bytes are sent twice', async () => {
    const auth = new SendTwice();
    const client = withAuth(axios.create({ adapter: 'fetch' }));
    await client.post(`${server().url}/anything`, webStream(['web ', 'stream ', 'body']), {
      auth,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(server().requests.map((request) => request.body.toString())).toEqual([
      'web stream body',
      'web stream body',
    ]);
    expect(auth.contents.map((content) => content.toString())).toEqual([
      'web stream body',
      'web stream body',
    ]);
  });

  test('resent without requiresRequestBody, it fails with the clear AuthFlowError', async () => {
    class Resend extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
      }
    }
    const client = withAuth(axios.create({ adapter: 'fetch' }));
    const error = await rejectionOf(
      client.post(`${server().url}/anything`, webStream(['once']), {
        auth: new Resend(),
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toMatch(
      /^Resend sent the request again, but its body was a stream/,
    );
    expect(server().requests).toHaveLength(1);
  });
});

describe('a body is serialised once, and a changed body has no stale Content-Length', () => {
  test('transformRequest runs once across 3 exchanges; the server gets valid JSON each time', async () => {
    let transforms = 0;
    class ThreeTimes extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.post(
      `${server().url}/anything`,
      { n: 1, list: [1, 2] },
      {
        auth: new ThreeTimes(),
        transformRequest: [
          (data: unknown, headers) => {
            transforms += 1;
            headers.setContentType('application/json');
            return JSON.stringify(data);
          },
        ],
      },
    );
    expect(transforms).toBe(1);
    expect(server().requests).toHaveLength(3);
    for (const request of server().requests) {
      expect(JSON.parse(request.body.toString('utf8'))).toEqual({ n: 1, list: [1, 2] });
    }
  });

  class ReplaceBody extends Auth {
    constructor(private readonly replacement: string) {
      super();
    }
    override *authFlow(request: AuthRequest): AuthFlow {
      const response = yield request;
      if (response.status === 200) {
        request.content = new TextEncoder().encode(this.replacement);
        yield request;
      }
    }
  }

  test('a resend with a longer body carries the new length, not the old one', async () => {
    const client = withAuth(axios.create());
    const response = await client.post(`${server().url}/anything`, 'short', {
      auth: new ReplaceBody('a much longer replacement body'),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(response.status).toBe(200);
    const [first, second] = server().requests;
    expect(first!.body.toString()).toBe('short');
    expect(first!.headers['content-length']).toBe('5');
    expect(second!.body.toString()).toBe('a much longer replacement body');
    expect(second!.headers['content-length']).toBe('30');
  });

  test('a Content-Length the caller set is dropped when the flow replaces the body', async () => {
    const client = withAuth(axios.create());
    await client.post(`${server().url}/anything`, 'abcdef', {
      auth: new ReplaceBody('xy'),
      headers: { 'Content-Type': 'text/plain', 'Content-Length': '6' },
    });
    const [first, second] = server().requests;
    expect(first!.headers['content-length']).toBe('6');
    expect(second!.body.toString()).toBe('xy');
    expect(second!.headers['content-length']).toBe('2');
  });

  test('a yielded clone with a new body leaves the original request as it was', async () => {
    class CloneWithBody extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        const copy = request.clone();
        copy.content = new TextEncoder().encode('copy body');
        yield copy;
        yield request;
      }
    }
    const client = withAuth(axios.create());
    await client.put(`${server().url}/anything`, 'original body', {
      auth: new CloneWithBody(),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(server().requests.map((request) => request.body.toString())).toEqual([
      'copy body',
      'original body',
    ]);
    expect(server().requests.map((request) => request.headers['content-length'])).toEqual([
      '9',
      '13',
    ]);
  });
});

describe('a stream body without requiresRequestBody', () => {
  test('sent once, it streams through untouched', async () => {
    const { stream, reads } = countingStream(['streamed ', 'as is']);
    const client = withAuth(axios.create({ auth: ['user', 'pass'] }));
    await client.post(`${server().url}/anything`, stream, {
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(reads()).toBe(1);
    expect(server().requests[0]?.body.toString()).toBe('streamed as is');
  });

  test('resent, it fails with a clear AuthFlowError instead of sending an empty body', async () => {
    class Resend extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        yield request;
        yield request;
      }
    }
    const { stream } = countingStream(['only once']);
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.post(`${server().url}/anything`, stream, { auth: new Resend() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toBe(
      'Resend sent the request again, but its body was a stream that the first send consumed; ' +
        'set `requiresRequestBody = true` on the Auth class so the body is read into memory and ' +
        'can be sent again',
    );
    expect(server().requests).toHaveLength(1);
  });

  test('reading request.content of a stream body fails with a clear AuthFlowError', async () => {
    class ReadsContent extends Auth {
      override *authFlow(request: AuthRequest): AuthFlow {
        request.headers.set('X-Length', String(request.content.length));
        yield request;
      }
    }
    const { stream } = countingStream(['x']);
    const client = withAuth(axios.create());
    const error = await rejectionOf(
      client.post(`${server().url}/anything`, stream, { auth: new ReadsContent() }),
    );
    expect(error).toBeInstanceOf(AuthFlowError);
    expect((error as Error).message).toMatch(
      /^request\.content is not loaded: the body is a stream/,
    );
    expect((error as Error).message).toMatch(/requiresRequestBody = true/);
    expect(server().requests).toHaveLength(0);
  });
});
