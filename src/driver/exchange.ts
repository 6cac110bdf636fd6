/**
 * One request/response of a flow, and the response objects a flow and the history see.
 * Intermediate responses are read and released (their connection reused); the final one is
 * handed to axios as the adapter gave it, and axios transforms it as usual.
 */
import { AxiosHeaders } from 'axios';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { asBuffer, discardBody, webStreamOf } from '../http/body.js';
import type { HeaderBag } from '../http/headers.js';
import { nodeModule } from '../util/node-builtins.js';

export interface ExchangeOptions {
  /** The body of a `responseType: 'stream'` response, read for a `requiresResponseBody` flow. */
  readonly streamBody?: { bytes: Uint8Array; web: boolean };
  /** A request the flow built (not the call's own or a clone): it has its own config. */
  readonly newRequest?: boolean;
}

/** The usual exchange's options: shared, so a warm call allocates none. */
const NO_OPTIONS: ExchangeOptions = Object.freeze({});

/**
 * One request/response of a flow. `raw` is the response as the adapter gave it (body not yet
 * through `transformResponse`, which axios applies to the final response itself); `flowResponse` is what
 * the flow is resumed with.
 */
export class Exchange {
  constructor(
    readonly raw: AxiosResponse,
    readonly flowResponse: AxiosResponse,
    readonly options: ExchangeOptions = NO_OPTIONS,
  ) {}

  /** A request the flow built (not the call's own or a clone): it has its own config. */
  get newRequest(): boolean {
    return this.options.newRequest === true;
  }

  /** The final response: the raw one, a stream again (of the same kind) if it was one. */
  final(): AxiosResponse {
    const { streamBody } = this.options;
    if (streamBody) {
      this.raw.data = streamBody.web ? webStreamOf(streamBody.bytes) : toReadable(streamBody.bytes);
    }
    return this.raw;
  }

  /** An intermediate response, kept in history: its body read and released. */
  toHistoryEntry(before: AxiosResponse[]): AxiosResponse {
    const { flowResponse } = this;
    let body: unknown;
    try {
      body = flowResponse.data;
    } catch {
      // A transform that cannot read an intermediate body (strict JSON meeting a server's HTML
      // 401 page) must not end a flow that never asked for the body: keep it as received.
      body = this.raw.data;
    }
    discardBody(body);
    // An own, plain `data` property, so the entry prints and serialises like any response.
    Object.defineProperty(flowResponse, 'data', {
      value: body,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    flowResponse.history = before.slice();
    return flowResponse;
  }
}

/**
 * The response a flow is resumed with: the adapter's response, whose `data` goes through the
 * call's `transformResponse` only when read. Flows that look only at the status and headers
 * (Basic, Digest) never pay for parsing a body that axios will parse anyway if it is final.
 */
export class FlowResponse implements AxiosResponse {
  status: number;
  statusText: string;
  headers: AxiosResponse['headers'];
  config: InternalAxiosRequestConfig;
  request?: unknown;
  history: AxiosResponse[] = [];
  readonly #raw: AxiosResponse;
  readonly #callConfig: InternalAxiosRequestConfig;
  #data: unknown;
  #transformed = false;

  constructor(raw: AxiosResponse, callConfig: InternalAxiosRequestConfig) {
    this.#raw = raw;
    this.#callConfig = callConfig;
    this.status = raw.status;
    this.statusText = raw.statusText;
    this.headers = AxiosHeaders.from(raw.headers as HeaderBag);
    this.config = raw.config;
    this.request = raw.request;
  }

  get data(): unknown {
    if (!this.#transformed) {
      this.#data = transformResponse(this.#callConfig, this.#raw);
      this.#transformed = true;
    }
    return this.#data;
  }

  set data(value: unknown) {
    this.#data = value;
    this.#transformed = true;
  }
}

/** axios's `transformData` for a response, which axios does not export. */
function transformResponse(config: InternalAxiosRequestConfig, response: AxiosResponse): unknown {
  const transforms = config.transformResponse;
  const list =
    transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms];
  const headers = AxiosHeaders.from(response.headers as HeaderBag);
  const context = config as InternalAxiosRequestConfig & { response?: AxiosResponse };
  let data: unknown = response.data;
  context.response = response; // axios's JSON transform attaches it to a parse error
  try {
    for (const transform of list) data = transform.call(config, data, headers, response.status);
  } finally {
    delete context.response;
  }
  return data;
}

/** A Node stream of these bytes: the http adapter's kind of `responseType: 'stream'` body. */
function toReadable(bytes: Uint8Array): unknown {
  const { Readable } = nodeModule<typeof import('node:stream')>('node:stream');
  return Readable.from([asBuffer(bytes)], { objectMode: false });
}
