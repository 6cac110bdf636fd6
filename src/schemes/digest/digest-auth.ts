/**
 * `DigestAuth`: the flow of HTTP Digest authentication (RFC 7616, with RFC 2617's and RFC 2069's
 * older forms). This module decides what to send when; the other modules of this folder read
 * the challenge (`challenge.ts`), compute the header (`rfc7616.ts`), remember challenges and
 * nonce counts (`protection-spaces.ts`) and hash (`hashes.ts`).
 *
 * The flow (`authFlow`) is synchronous; `asyncAuthFlow` adds the one thing that needs waiting, so
 * that concurrent first calls to an origin share one challenge instead of each paying a 401.
 * A warm call (its origin's challenge known) runs neither where the driver can send it as one
 * exchange (a body in memory, an adapter other than fetch or XHR): the driver has it authorized
 * (`authorizeChecked`), sends it, and shows the answer to `answerOnce`, which takes a `nextnonce`
 * from it or, for a 401, returns the rest of the flow. Elsewhere it steps `authFlow`.
 */
import type { AxiosResponse } from 'axios';
import {
  answerOnce,
  Auth,
  authorizeChecked,
  setsOnlyAuthorization,
  syncFlowWhenReady,
  type AsyncAuthFlow,
  type AuthFlow,
} from '../../auth.js';
import { delay, raceStop, stopSourcesOf } from '../../driver/cancellation.js';
import { ChallengeParseError } from '../../errors.js';
import { parseAuthParams, parseChallenges } from '../../http/challenge.js';
import { addCookies } from '../../http/cookies.js';
import { headerValue } from '../../http/headers.js';
import { mayCarryCredentials } from '../../http/origin.js';
import {
  keepForAnswer,
  keptForAnswer,
  requestPlace,
  responseUrl,
  type AuthRequest,
} from '../../request.js';
import { REDACTED, inspectSymbol } from '../../util/redaction.js';
import { readCredentials, type Credentials } from '../credentials.js';
import { chooseChallenge, MAX_PARAM_LENGTH, type DigestChallenge } from './challenge.js';
import { randomHex } from './cnonce.js';
import { ProtectionSpaces, type ProtectionSpace } from './protection-spaces.js';
import { credentialsHash, digestAuthorization, type DigestInput } from './rfc7616.js';

/** Options of `DigestAuth`. */
export interface DigestAuthOptions {
  /**
   * How long (ms) a call to an origin with no remembered challenge waits for the first such
   * call's challenge before going on alone and paying its own 401. The first call may be slow
   * for reasons of its own (a long poll, a download); past this, the others stop waiting.
   * 0 sends every cold call at once.
   * @default 1000
   */
  firstCallWait?: number;
}

/**
 * Digest authentication. The first request to an origin is sent without credentials; the
 * server's 401 carries the challenge, and the request is sent again with the answer. Later
 * requests of the same `DigestAuth` to that origin answer the remembered challenge at once.
 *
 * Test seam: `makeCnonce()` is protected; a subclass that returns a fixed value reproduces the
 * RFC's published examples.
 *
 * @example
 * const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
 * const response = await client.get('https://httpbin.org/digest-auth/auth/olivia/secret');
 * response.history; // [the 401 that carried the challenge]
 */
export class DigestAuth extends Auth {
  /** @internal It adds `Authorization` alone (see `setsOnlyAuthorization`). */
  override readonly [setsOnlyAuthorization] = true;
  /** The body is read before the flow starts: `auth-int` hashes it, and a retry resends it. */
  override readonly requiresRequestBody = true;
  readonly username: string;
  readonly #password: string;
  /** H(username ":" realm ":" passwd) per challenge record: hashed once, not on every request. */
  readonly #credentialsHashes = new WeakMap<DigestChallenge, string>();
  readonly #spaces = new ProtectionSpaces();
  /** Per origin: the first call still waiting for its challenge; other cold calls wait on it. */
  readonly #firstCalls = new Map<string, Promise<void>>();
  readonly #firstCallWait: number;

  /**
   * @example new DigestAuth('olivia', 'secret')
   * @example new DigestAuth({ username: 'olivia', password: 'secret' })
   */
  constructor(username: string, password: string, options?: DigestAuthOptions);
  constructor(credentials: Credentials & DigestAuthOptions);
  constructor(
    ...args: [string, string, (DigestAuthOptions | undefined)?] | [Credentials & DigestAuthOptions]
  ) {
    super();
    const named = typeof args[0] === 'object' && args[0] !== null;
    const { username, password } = readCredentials(
      'DigestAuth',
      named ? [args[0]] : args.slice(0, 2),
    );
    const options: DigestAuthOptions = (named ? (args[0] as DigestAuthOptions) : args[2]) ?? {};
    const wait = options.firstCallWait ?? 1000;
    if (typeof wait !== 'number' || !(wait >= 0) || wait === Infinity) {
      throw new TypeError('DigestAuth: firstCallWait must be a number of milliseconds, 0 or more');
    }
    this.username = username;
    this.#password = password;
    this.#firstCallWait = wait;
  }

  /**
   * The client nonce of one request (RFC 7616 §3.4: `cnonce`). 16 random bytes, hex.
   * Override it in a test to reproduce a published example.
   */
  protected makeCnonce(): string {
    return randomHex(16);
  }

  override *authFlow(request: AuthRequest): AuthFlow {
    return yield* this.#flow(request, this.#spaces.find(request.url));
  }

  /** A warm call (its origin's challenge known) waits for nothing: the driver steps `authFlow`. */
  override [syncFlowWhenReady](request: AuthRequest): AuthFlow | undefined {
    // A subclass's own async flow is always run; its own sync flow is what it gets when warm.
    if (this.asyncAuthFlow !== DigestAuth.prototype.asyncAuthFlow) return undefined;
    const space = this.#spaces.find(request.url);
    if (!space) return undefined;
    return this.authFlow === DigestAuth.prototype.authFlow
      ? this.#flow(request, space)
      : this.authFlow(request);
  }

  /** A warm call, where the driver sends it as one exchange: the request, authorized. */
  override [authorizeChecked](request: AuthRequest): AuthRequest | undefined {
    // A subclass with a flow of its own runs that flow.
    if (
      this.authFlow !== DigestAuth.prototype.authFlow ||
      this.asyncAuthFlow !== DigestAuth.prototype.asyncAuthFlow
    ) {
      return undefined;
    }
    const place = requestPlace(request);
    const space = this.#spaces.find(place);
    if (!space) return undefined;
    this.#authorize(request, space, place.target);
    keepForAnswer(request, space); // the space it answered, for `answerOnce`
    return request;
  }

  /**
   * The answer to a request `authorizeChecked` authorized: its `nextnonce` taken, or, for a 401,
   * the flow from there: `authFlow`'s, waiting for the response to the request it sent.
   */
  override [answerOnce](request: AuthRequest, response: AxiosResponse): AuthFlow | undefined {
    if (response.status === 401) {
      const rest = this.#flow(request, keptForAnswer(request) as ProtectionSpace, true);
      rest.next(); // to its first `yield`: the request, already sent
      return rest;
    }
    // What the flow does with a response that ends it, in the order that costs least when, as
    // usual, the answer has no Authentication-Info: then neither its URL nor the space is needed.
    if (headerValue(response, 'authentication-info') === undefined) return undefined;
    const challengeUrl = responseUrl(response, request.url);
    if (challengeUrl === request.url || challengeUrl.origin === request.url.origin) {
      this.#learnNextNonce(response, keptForAnswer(request) as ProtectionSpace);
    }
    return undefined;
  }

  /** `authorized`: `request` already answers `known`'s challenge (see `answerOnce`). */
  *#flow(request: AuthRequest, known: ProtectionSpace | undefined, authorized = false): AuthFlow {
    let sent = request;
    let space = known;
    // An auth object's Authorization replaces one set by hand (as in httpx), also on a cold request.
    if (!authorized) {
      if (space) this.#authorize(sent, space);
      else sent.headers.delete('Authorization');
    }
    let response: AxiosResponse = yield sent;
    // A call answers at most one fresh challenge and one stale one (RFC 7616 §3.3 `stale`: same
    // credentials, new nonce), and never a fresh one after a stale one: the stale retry already
    // used the server's current nonce, so a fresh 401 to it means the credentials are wrong, and
    // answering it could loop. So a fresh 401 (cold or preemptive) then a stale one costs three
    // requests, the most a call sends; a preemptive request that meets a stale 401 and then a
    // fresh one costs two, and that fresh 401 is returned.
    let answered = false;
    let answeredStale = false;
    for (;;) {
      const challengeUrl = responseUrl(response, sent.url);
      // (`responseUrl` gives back `sent.url` itself when nothing redirected: no origin to build.)
      const sameOrigin = challengeUrl === sent.url || challengeUrl.origin === sent.url.origin;
      if (space && sameOrigin) this.#learnNextNonce(response, space);
      if (response.status !== 401) return;
      // The 401 came from another origin after a redirect: credentials stay with the origin
      // the caller named (httpx's redirect rule).
      if (!mayCarryCredentials(request.url, challengeUrl)) return;
      const header = headerValue(response, 'www-authenticate');
      if (header === undefined) return;
      const challenge = chooseChallenge(parseChallenges(header), challengeUrl);
      if (!challenge) return; // no Digest challenge: the 401 is the answer
      if (challenge.stale ? answeredStale : answered || answeredStale) {
        if (space && !challenge.stale) this.#spaces.forget(challengeUrl.origin, space);
        return;
      }
      if (challenge.stale) answeredStale = true;
      else answered = true;
      space = this.#spaces.remember(challengeUrl.origin, challenge);
      // The digest is for the URL that sent the challenge (after redirects), so the retry goes
      // there directly, and `uri` names it. It copies the request last sent, not the caller's:
      // cookies set by each 401 add up over the retries, as in httpx, which changes one request.
      const retry = sent.clone();
      if (challengeUrl.href !== sent.url.href) retry.url = challengeUrl;
      this.#authorize(retry, space);
      addCookies(retry, response);
      sent = retry;
      response = yield retry;
    }
  }

  /**
   * Cold calls to an origin wait for the first one's challenge instead of each paying a 401:
   * the first call runs at once; the others start when its first response has been handled
   * (then they find the challenge remembered), or when it ends, however it ends.
   */
  override async *asyncAuthFlow(request: AuthRequest): AsyncAuthFlow {
    const origin = request.url.origin;
    let release: (() => void) | undefined;
    if (!this.#spaces.find(request.url)) {
      const first = this.#firstCalls.get(origin);
      if (first) {
        await this.#waitForFirstCall(first, request);
      } else {
        const done = new Promise<void>((resolve) => {
          release = () => {
            if (this.#firstCalls.get(origin) === done) this.#firstCalls.delete(origin);
            resolve();
          };
        });
        this.#firstCalls.set(origin, done);
      }
    }
    const flow = this.authFlow(request);
    try {
      let step = flow.next();
      while (!step.done) {
        const response: AxiosResponse = yield step.value;
        step = flow.next(response);
        release?.();
        release = undefined;
      }
    } finally {
      release?.();
      flow.return(undefined);
    }
  }

  /**
   * Waits for the first call's challenge, but not past `firstCallWait` nor past the caller's
   * abort or timeout: the driver then reports those on the next send.
   */
  async #waitForFirstCall(first: Promise<void>, request: AuthRequest): Promise<void> {
    const bound = delay(this.#firstCallWait);
    const stopped = (): null => null;
    try {
      await raceStop(Promise.race([first, bound.promise]), stopSourcesOf(request.config), {
        aborted: stopped,
        cancelled: stopped,
        timedOut: stopped,
      });
    } catch {
      // Stopped: the call ends at its next send, with axios's usual error.
    } finally {
      bound.clear();
    }
  }

  /**
   * Sets the Authorization header that answers `space`'s challenge for this request. `target`:
   * the request target, when the caller has it already.
   */
  #authorize(request: AuthRequest, space: ProtectionSpace, target = request.target): void {
    const { nonce, nc } = space.nextCount();
    const { challenge } = space;
    let secret = this.#credentialsHashes.get(challenge);
    if (secret === undefined) {
      secret = credentialsHash({ username: this.username, password: this.#password, challenge });
      this.#credentialsHashes.set(challenge, secret);
    }
    const input: DigestInput = {
      username: this.username,
      password: this.#password,
      challenge,
      credentialsHash: secret,
      nonce,
      method: request.method,
      // The target as written on the request line, which the server compares `uri` with;
      // `url.pathname + url.search` can differ from it (see `AuthRequest.target`).
      uri: target,
      nc,
      cnonce: this.makeCnonce(),
      body: () => request.content,
    };
    request.headers.set('Authorization', digestAuthorization(input));
  }

  /** RFC 7616 §3.5: `Authentication-Info: nextnonce` is the nonce for the next request. */
  #learnNextNonce(response: AxiosResponse, space: ProtectionSpace): void {
    const info = headerValue(response, 'authentication-info');
    if (info === undefined) return;
    let nextnonce: string | undefined;
    try {
      nextnonce = parseAuthParams(info).get('nextnonce');
    } catch (error) {
      // The response is already the answer: an unreadable hint only costs a later round trip.
      if (error instanceof ChallengeParseError) return;
      throw error;
    }
    // A nonce is echoed on every request: one over the bound is not taken (the challenge's own
    // nonce is refused with 'too-large'; here the response is already the answer).
    if (nextnonce && nextnonce.length <= MAX_PARAM_LENGTH) space.useNonce(nextnonce);
  }

  override [inspectSymbol](): string {
    return `DigestAuth { username: ${JSON.stringify(this.username)}, password: '${REDACTED}' }`;
  }

  override toJSON(): Record<string, unknown> {
    return { type: 'DigestAuth', username: this.username, password: REDACTED };
  }
}
