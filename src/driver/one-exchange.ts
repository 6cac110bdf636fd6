/**
 * Calls whose auth usually needs no answer from the server, sent as one adapter call, as bare
 * axios sends them: the adapter applies the caller's own `validateStatus` and `timeout`, and no
 * generator, exchange or history bookkeeping runs.
 * - Basic, a Bearer token, a function (`authorizeOnce`): authenticate, send, done.
 * - A warm Digest call, an OAuth2 call with a fresh token (`authorizeThenCheck`): the scheme
 *   looks at the response (or at the response of the error the caller's validateStatus made),
 *   and only a challenge to answer (a stale nonce, a refused token) makes a `Call` of it, which
 *   takes over with this exchange as history and what is left of the timeout.
 * What every call promises still holds: the credentials stay on their origin across redirects
 * (`sendGuarded`), `auth` is off the config while it is sent and back after, and the response
 * (or the error's response) has an empty history.
 *
 * Anything else goes to `Call`: a flow that may answer a challenge from the start, a body to
 * read first, the fetch and XHR adapters (whose redirects the driver may have to follow itself,
 * with per-hop timeouts), and an `authorizeOnce` that returned a promise or another request,
 * which `Call` takes from there as the flow's first step.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { Auth, authorizeOnce, authorizeThenCheck, type AsyncAuthFlow } from '../auth.js';
import { isInMemoryBody } from '../http/body.js';
import { preparedRequest, type AuthRequest } from '../request.js';
import { Call, type FirstStep } from './call.js';
import { Exchange, FlowResponse } from './exchange.js';
import type { Installation } from './install.js';
import { Credentials, sendGuarded, type AdapterKind } from './redirects.js';

/**
 * Authenticate and send the call's request as its only exchange. Returns undefined, having done
 * nothing, when the call needs the full flow; `{ step }` when the auth's answer needs it after
 * all (`Call.run` continues from that step).
 */
export function sendAuthorizedOnce(
  installation: Installation,
  auth: Auth,
  authOption: unknown,
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
  kind: AdapterKind,
): Promise<AxiosResponse> | { step: FirstStep } | undefined {
  if (kind === 'fetch' || kind === 'xhr') return undefined;
  if (auth[authorizeThenCheck]) {
    return sendChecked(installation, auth, authOption, config, adapter, kind);
  }
  if (!auth[authorizeOnce] || auth.requiresRequestBody) return undefined;
  const request = preparedRequest(config);
  const baseline = { ...config.headers }; // what the auth adds is a credential: see Call
  const result = auth[authorizeOnce](request);
  if (result === undefined) return undefined;
  if (result !== request) {
    // The base flow yields what it is given: here, the request the function returned.
    const flow = result instanceof Promise ? awaitedStep(result) : Auth.prototype.authFlow(result);
    return { step: { flow, baseline } };
  }
  return send(request, baseline, authOption, adapter, kind);
}

function send(
  request: AuthRequest,
  baseline: Readonly<Record<string, unknown>> | null,
  authOption: unknown,
  adapter: AxiosAdapter,
  kind: AdapterKind,
  last = true,
): Promise<AxiosResponse> {
  const sent = request.toConfig(last);
  const credentials = new Credentials(request.headers, baseline);
  const startUrl = (): string => request.url.href;
  return sendAlone(sent, authOption, () =>
    sendGuarded(adapter, kind, sent, credentials, startUrl, sent.beforeRedirect),
  );
}

/**
 * A scheme that may have to answer its first response (`authorizeThenCheck`): the request goes
 * as above, and the response (or the response of the error, when the caller's validateStatus
 * refused it) is handed to the scheme. When the flow goes on, a `Call` runs the rest, with this
 * exchange as its history and what is left of the caller's timeout.
 */
function sendChecked(
  installation: Installation,
  auth: Auth,
  authOption: unknown,
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
  kind: AdapterKind,
): Promise<AxiosResponse> | undefined {
  // A body the flow must read first (a stream, a Blob) goes the usual way.
  if (auth.requiresRequestBody && !isInMemoryBody(config.data)) return undefined;
  const startedAt = config.timeout ? Date.now() : undefined;
  const request = preparedRequest(config);
  const baseline = { ...config.headers }; // what the auth adds is a credential: see Call
  const check = auth[authorizeThenCheck]!(request);
  if (!check) return undefined;
  const goOn = (response: AxiosResponse): Promise<AxiosResponse> | undefined => {
    // What a flow is resumed with: headers always an AxiosHeaders, the body parsed if read.
    const flowResponse = new FlowResponse(response, config);
    const rest = check(flowResponse);
    if (!rest) return undefined;
    const exchange = new Exchange(response, flowResponse);
    const call = new Call(installation, auth, authOption, config, adapter, kind);
    return call.run({ flow: rest.flow, baseline, answered: { ...rest, exchange, startedAt } });
  };
  // Not the last send if the flow goes on: the adapter's own headers must not reach the next one.
  return send(request, baseline, authOption, adapter, kind, false).then(
    (response) => goOn(response) ?? response,
    (error: unknown) => {
      const response = (error as { response?: AxiosResponse } | null)?.response;
      const more = response && goOn(response);
      if (more) return more;
      throw error;
    },
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
