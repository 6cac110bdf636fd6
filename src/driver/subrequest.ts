/**
 * A new request a flow yielded (a token request, an AuthRequest made by hand). It runs through
 * the instance's pipeline (defaults, baseURL, request interceptors, transforms, adapter), marked
 * under one namespaced config key (a string, so `mergeConfig` keeps it), so that the driver's
 * adapter wrapper knows it: the client's default auth, which `mergeConfig` put on it, is not
 * applied; its own `auth`, when the flow gave one, runs as a flow of its own.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { Auth } from '../auth.js';
import { Call } from './call.js';
import type { Installation } from './install.js';

/** The config key that marks a request a flow yielded. */
export const SUBREQUEST_KEY = 'axios-auth-flow';

export class Subrequest {
  /** The response as the adapter gave it, before any transform (what history keeps). */
  raw: AxiosResponse | undefined;

  constructor(
    readonly installation: Installation,
    readonly auth: Auth | undefined,
    readonly authOption: unknown,
  ) {}

  async send(config: InternalAxiosRequestConfig, adapter: AxiosAdapter): Promise<AxiosResponse> {
    delete config.auth;
    delete (config as unknown as Record<string, unknown>)[SUBREQUEST_KEY];
    let response: AxiosResponse;
    if (this.auth) {
      response = await new Call(this.installation, this.auth, this.authOption, config, adapter).run();
    } else {
      response = await adapter(config);
      response.history = [];
    }
    this.raw = { ...response };
    return response;
  }
}
