/**
 * Calls whose auth needs no answer from the server: Basic, a Bearer token, a function (the
 * schemes that implement `authorizeOnce`). Their flow is "authenticate the request, send it,
 * done", so the call is one adapter call, sent as bare axios sends it: the adapter applies the
 * caller's own `validateStatus` and `timeout`, and no generator, exchange or history bookkeeping
 * runs. What every call promises still holds: the credentials stay on their origin across
 * redirects (`sendGuarded`), `auth` is off the config while it is sent and back after, and the
 * response (or the error's response) has an empty history.
 *
 * Anything else goes to `Call`: a flow that may answer a challenge, a body to read first, the
 * fetch and XHR adapters (whose redirects the driver may have to follow itself, with per-hop
 * timeouts), and an `authorizeOnce` that returned a promise or another request, which `Call`
 * takes from there as the flow's first step.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { Auth, authorizeOnce, FunctionAuth, type AsyncAuthFlow } from '../auth.js';
import { preparedRequest, type AuthRequest } from '../request.js';
import type { FirstStep } from './call.js';
import { Credentials, rememberAuthHeaders, sendGuarded, type AdapterKind } from './redirects.js';

/**
 * Authenticate and send the call's request as its only exchange. Returns undefined, having done
 * nothing, when the call needs the full flow; `{ step }` when the auth's answer needs it after
 * all (`Call.run` continues from that step).
 */
export function sendAuthorizedOnce(
  auth: Auth,
  authOption: unknown,
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
  kind: AdapterKind,
): Promise<AxiosResponse> | { step: FirstStep } | undefined {
  if (!auth[authorizeOnce] || auth.requiresRequestBody || kind === 'fetch' || kind === 'xhr') {
    return undefined;
  }
  const request = preparedRequest(config);
  const baseline = { ...config.headers }; // what the auth adds is a credential: see Call
  const result = auth[authorizeOnce](request);
  if (result === undefined) return undefined;
  if (result !== request) {
    // The base flow yields what it is given: here, the request the function returned.
    const flow = result instanceof Promise ? awaitedStep(result) : Auth.prototype.authFlow(result);
    return { step: { flow, baseline } };
  }
  // Basic and Bearer set `Authorization` alone, a standard credential: only what a function sets
  // needs remembering for a retry of this call's config (see `rememberAuthHeaders`).
  if (auth instanceof FunctionAuth) rememberAuthHeaders(authOption, request.headers, baseline);
  return send(request, baseline, authOption, adapter, kind);
}

function send(
  request: AuthRequest,
  baseline: Readonly<Record<string, unknown>> | null,
  authOption: unknown,
  adapter: AxiosAdapter,
  kind: AdapterKind,
): Promise<AxiosResponse> {
  const sent = request.toConfig(true);
  // The adapter adds User-Agent, Accept-Encoding and Content-Length to these headers as it
  // sends them; none of those is ever a credential (`neverCredential`), so they stay shared.
  const credentials = new Credentials(request.headers, baseline, undefined, authOption);
  const startUrl = (): string => request.url.href;
  return sendAlone(sent, authOption, () =>
    sendGuarded(adapter, kind, sent, credentials, startUrl, sent.beforeRedirect),
  );
}

/**
 * Send `config` as the call's only exchange. The driver took `auth` off it (no stray
 * `Basic Og==` from axios); it is put back as the caller gave it once the adapter is done, and
 * the response, or the response of the error (the caller's validateStatus refused it), gets an
 * empty history.
 */
export async function sendAlone(
  config: InternalAxiosRequestConfig,
  authOption: unknown,
  send: () => Promise<AxiosResponse>,
): Promise<AxiosResponse> {
  let response: AxiosResponse | undefined;
  try {
    return (response = await send());
  } catch (error) {
    response = (error as { response?: AxiosResponse } | null)?.response;
    throw error;
  } finally {
    if (response) response.history = [];
    (config as { auth?: unknown }).auth = authOption;
  }
}

async function* awaitedStep(pending: Promise<AuthRequest>): AsyncAuthFlow {
  yield await pending;
}
