/**
 * Calls that usually take one exchange, sent as bare axios sends them: one adapter call, with
 * the caller's own `validateStatus` and `timeout` applied by the adapter, and no generator,
 * exchange or history bookkeeping. Two kinds of scheme take this path:
 * - those whose auth needs no answer from the server (Basic, a Bearer token, a function,
 *   `authorizeOnce`): their flow is "authenticate the request, send it, done";
 * - those that must see the answer (a warm Digest or OAuth2 call, `authorizeChecked` and
 *   `answerOnce`): the answer is shown to the scheme, and only when it asks for more (a 401
 *   with a new nonce, a refused token) does the call go on as a `Call`, with that first
 *   exchange as its history and the call's timeout counted from its start.
 * What every call promises still holds: the credentials stay on their origin across redirects
 * (`sendGuarded`), `auth` is off the config while it is sent and back after, and a response (or
 * an error's response) that ends the call after one exchange has an empty history.
 *
 * A call with no auth is sent here too (`sendAlone`): straight to the adapter, its `auth` left
 * null, and the empty history given beside axios's chain.
 *
 * Anything else goes to `Call`: a flow that may answer a challenge, a body to read first, the
 * fetch and XHR adapters (whose redirects the driver may have to follow itself, with per-hop
 * timeouts), and an `authorizeOnce` that returned a promise or another request, which `Call`
 * takes from there as the flow's first step.
 */
import { isAxiosError } from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import {
  answerOnce,
  Auth,
  authorizeChecked,
  authorizeOnce,
  setsOnlyAuthorization,
  type AsyncAuthFlow,
  type SteppedFlow,
} from '../auth.js';
import { isInMemoryBody } from '../http/body.js';
import { preparedRequest, type AuthRequest } from '../request.js';
import { Call, type FirstStep } from './call.js';
import { putBack } from './caller-settings.js';
import { Exchange, FlowResponse } from './exchange.js';
import type { Installation } from './install.js';
import { Credentials, rememberAuthHeaders, sendGuarded, type AdapterKind } from './redirects.js';

/**
 * Authenticate and send the call's request as its only exchange (`authorizeOnce`), or as its
 * first, whose answer the scheme sees (`authorizeChecked`, `answerOnce`). Returns undefined,
 * having done nothing, when the call needs the full flow; `{ step }` when the auth's answer
 * needs it after all (`Call.run` continues from that step).
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
  const checked = auth[authorizeChecked] !== undefined && auth[answerOnce] !== undefined;
  if (checked) {
    // A body the flow may hash (Digest) or send again (after a 401) must be in memory already:
    // reading a stream first, or refusing to send one twice, is `Call`'s work.
    if (!isInMemoryBody(config.data)) return undefined;
  } else if (!auth[authorizeOnce] || auth.requiresRequestBody) {
    return undefined;
  }
  // A checked call's timeout runs from here, also over a second exchange (see `sendOne`).
  const startedAt = checked && config.timeout ? Date.now() : 0;
  const request = preparedRequest(config);
  // What the auth adds is a credential (see `Credentials`). A scheme that adds only
  // `Authorization` (`setsOnlyAuthorization`) adds a credential whatever a comparison says; what
  // any other adds (a function's `X-Api-Key`) is found by comparing with the headers the call
  // started with.
  const baseline = auth[setsOnlyAuthorization] ? null : { ...config.headers };
  const result = checked ? auth[authorizeChecked]!(request) : auth[authorizeOnce]!(request);
  if (result === undefined) return undefined;
  if (result !== request) {
    // The base flow yields what it is given: here, the request the function returned.
    const flow = result instanceof Promise ? awaitedStep(result) : Auth.prototype.authFlow(result);
    return { step: { flow, baseline } };
  }
  // Only what a function sets needs remembering for a retry of this call's config (see
  // `rememberAuthHeaders`): the others set a standard credential.
  if (baseline) rememberAuthHeaders(authOption, request.headers, baseline);
  const call = { installation, auth, authOption, adapter, kind, checked, startedAt };
  return sendOne(call, request, baseline);
}

/** What a call sent as one exchange needs, also to go on as a `Call` (`answerOnce`). */
interface OneCall {
  readonly installation: Installation;
  readonly auth: Auth;
  readonly authOption: unknown;
  readonly adapter: AxiosAdapter;
  readonly kind: AdapterKind;
  /** Whether the scheme sees the answer (`authorizeChecked`, `answerOnce`). */
  readonly checked: boolean;
  /** `Date.now()` when the call started, if it is checked and has a timeout; else 0. */
  readonly startedAt: number;
}

/**
 * Send the authorized request as the call's one exchange, its credentials kept on their origin.
 * A checked scheme is shown the answer (`answerOnce`): it is the call's, unless the scheme returns
 * the rest of its flow, which then runs as a `Call` with this exchange as its first. The caller's
 * `validateStatus` is the adapter's; an answer it refused (a 401, usually) is shown to a checked
 * scheme all the same.
 */
async function sendOne(
  call: OneCall,
  request: AuthRequest,
  baseline: Readonly<Record<string, unknown>> | null,
): Promise<AxiosResponse> {
  const { auth, authOption, adapter, kind, checked, startedAt } = call;
  // The adapter adds User-Agent, Accept-Encoding and Content-Length to these headers as it sends
  // them: none of those is ever a credential (`neverCredential`), nor differs on a retry of the
  // same body, so they stay shared.
  const sent = request.toConfig(true);
  const credentials = new Credentials(request.headers, baseline, undefined, authOption);
  const startUrl = (): string => request.url.href;
  const userHook = sent.beforeRedirect;
  let response: AxiosResponse | undefined;
  let rest: SteppedFlow | undefined;
  try {
    response = await sendGuarded(adapter, kind, sent, credentials, startUrl, userHook);
    if (checked) rest = auth[answerOnce]!(request, response, startedAt);
  } catch (error) {
    response = errorResponse(error);
    if (checked && response && isAxiosError(error)) {
      rest = auth[answerOnce]!(request, response, startedAt);
    }
    if (!rest) throw error;
  } finally {
    putBack(sent, 'beforeRedirect', userHook); // the guard's place (see `sendGuarded`)
    if (!rest) endOneExchange(sent, authOption, response);
  }
  if (!rest) return response!;
  const exchange = new Exchange(response!, new FlowResponse(response!, sent));
  const rerun = new Call(
    call.installation,
    auth,
    authOption,
    sent,
    adapter,
    kind,
    undefined,
    startedAt,
  );
  return rerun.run({ flow: rest, baseline, answered: exchange });
}

/**
 * A call with no auth: the config as the driver has it, straight to the adapter, and the
 * adapter's own promise back to axios. Its response, or the response of its error (the caller's
 * validateStatus refused it), gets an empty history from reactions registered on that promise
 * before axios registers its own: reactions run in the order they were registered, so axios's
 * transform, the response interceptors and the caller all see the history.
 *
 * Not a `then` in axios's chain, which would put one more microtask between the adapter and
 * each of axios's own steps, and one more promise per call. (Over the network, one-off
 * experiments put such a link at 2–4% and the reactions beside the chain at 0–1.4%; a process
 * has a bias of its own that size, so neither figure is firm: see the README's performance
 * section.)
 *
 * An adapter that throws instead of rejecting is reported as a rejection, as with auth (axios
 * 1.6 would otherwise skip the response interceptors).
 */
export function sendAlone(
  config: InternalAxiosRequestConfig,
  adapter: AxiosAdapter,
): Promise<AxiosResponse> {
  let sent: Promise<AxiosResponse>;
  try {
    // The adapter's own promise when it is a native one; a thenable (or another realm's promise)
    // is adopted by one, on which the reactions below are registered first all the same.
    sent = Promise.resolve(adapter(config));
  } catch (error) {
    giveErrorEmptyHistory(error);
    return Promise.reject(error);
  }
  sent.then(giveEmptyHistory, giveErrorEmptyHistory);
  return sent;
}

// The reactions beside axios's chain. Their promise is never awaited, so they never throw (that
// would be an unhandled rejection): a response that refuses a history (a read-only one) keeps
// what it has.
function giveEmptyHistory(response: unknown): void {
  if (response === null || typeof response !== 'object') return;
  try {
    (response as AxiosResponse).history = [];
  } catch {
    // See above.
  }
}

function giveErrorEmptyHistory(error: unknown): void {
  try {
    giveEmptyHistory(errorResponse(error));
  } catch {
    // An error whose `response` getter throws has no response to give a history to.
  }
}

/**
 * The end of a call sent as one exchange. The driver took `auth` off its config (no stray
 * `Basic Og==` from axios): it is put back as the caller gave it. The response, or the response
 * of the error (the caller's validateStatus refused it), gets an empty history.
 */
function endOneExchange(
  config: InternalAxiosRequestConfig,
  authOption: unknown,
  response: AxiosResponse | undefined,
): void {
  if (response) response.history = [];
  (config as { auth?: unknown }).auth = authOption;
}

function errorResponse(error: unknown): AxiosResponse | undefined {
  return (error as { response?: AxiosResponse } | null)?.response;
}

async function* awaitedStep(pending: Promise<AuthRequest>): AsyncAuthFlow {
  yield await pending;
}
