/**
 * A new request a flow yielded (a token request, an AuthRequest made by hand). It runs through
 * the instance's pipeline (defaults, baseURL, request interceptors, transforms, adapter), marked
 * under one namespaced config key (a string, so `mergeConfig` keeps it), so that the driver's
 * adapter wrapper knows it: the client's default auth, which `mergeConfig` put on it, is not
 * applied; its own `auth`, when the flow gave one, runs as a call nested in the one that yielded
 * it, on the same `maxFlowRequests` budget. The headers the flow gave it are the flow's
 * credentials: no redirect takes them to another origin, with or without its own auth.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Auth } from '../auth.js';
import { AuthRequest } from '../request.js';
import { Call } from './call.js';
import { putBack } from './caller-settings.js';
import type { Installation } from './install.js';
import { Credentials, sendGuarded, type AdapterKind } from './redirects.js';

/** The config key that marks a request a flow yielded. */
export const SUBREQUEST_KEY = 'axios-auth-flow';

export class Subrequest {
  /** The response as the adapter gave it, before any transform (what history keeps). */
  raw: AxiosResponse | undefined;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth | undefined,
    readonly authOption: unknown,
    /** The call whose flow yielded this request. */
    readonly parent: Call,
    /** The headers the flow gave the request. */
    readonly given: unknown,
  ) {}

  async send(
    config: InternalAxiosRequestConfig,
    adapter: AxiosAdapter,
    kind: AdapterKind,
  ): Promise<AxiosResponse> {
    (config as { auth?: unknown }).auth = null; // no auth reaches the adapter: see Installation.dispatch
    delete (config as unknown as Record<string, unknown>)[SUBREQUEST_KEY];
    const inherited = plainHeaders(this.given);
    let response: AxiosResponse;
    if (this.auth) {
      const nesting = { parent: this.parent, inherited };
      const call = new Call(
        this.installation,
        this.auth,
        this.authOption,
        config,
        adapter,
        kind,
        nesting,
      );
      response = await call.run();
    } else {
      const credentials = new Credentials(config.headers, null, inherited);
      const startUrl = (): string => new AuthRequest(config).url.href;
      const userHook = config.beforeRedirect;
      try {
        response = await sendGuarded(adapter, kind, config, credentials, startUrl, userHook);
      } finally {
        putBack(config, 'beforeRedirect', userHook); // the guard's place (see `sendGuarded`)
      }
      response.history = [];
    }
    this.raw = { ...response };
    return response;
  }
}

/** The yielded headers as a plain object (an AxiosHeaders is one already: its own keys). */
function plainHeaders(headers: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof headers === 'object' && headers !== null
    ? (headers as Record<string, unknown>)
    : undefined;
}
