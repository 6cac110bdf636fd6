/**
 * Installing the driver on an axios instance, and routing each call to it.
 *
 * `withAuth` adds one request interceptor, which swaps the call's adapter for a wrapper around
 * it. By the time the wrapper runs, every request interceptor and `transformRequest` have run,
 * so the flow sees the request as it goes on the wire, and the body is serialised once. The
 * whole flow (every exchange) happens inside that one adapter call (`Call`), so the instance's
 * response interceptors run once, on the final response, and never on an intermediate 401: the
 * defect of reissuing with `instance.request()` from a response interceptor (axios-retry#246)
 * cannot happen here.
 */
import axios from 'axios';
import type {
  AxiosAdapter,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  CreateAxiosDefaults,
  InternalAxiosRequestConfig,
} from 'axios';
import type { Auth } from '../auth.js';
import type { WithAuth } from '../types.js';
import { toAuth } from '../auth-option.js';
import { BasicAuth } from '../schemes/basic.js';
import { Call } from './call.js';
import { sendAlone, sendAuthorizedOnce } from './one-exchange.js';
import { adapterKind, type AdapterKind } from './redirects.js';
import { SUBREQUEST_KEY, Subrequest } from './subrequest.js';
import { takeUrlCredentials } from './url-credentials.js';

/** Options of `withAuth`. */
export interface WithAuthOptions {
  /**
   * The most requests one call's flow may send before it is stopped with an `AuthFlowError`.
   * @default 10
   */
  maxFlowRequests?: number;
}

const installations = new WeakMap<object, Installation>();

/**
 * Install the auth driver on an axios instance and return the same instance. A second call on
 * the same instance changes nothing.
 *
 * @example
 * const client = withAuth(axios.create({ auth: new DigestAuth('olivia', 'secret') }));
 * const response = await client.get('https://example.com/protected');
 * response.history; // [the 401 that carried the challenge]
 */
export function withAuth<T extends AxiosInstance>(
  instance: T,
  options?: WithAuthOptions,
): WithAuth<T>;
export function withAuth(instance: AxiosInstance, options: WithAuthOptions = {}): AxiosInstance {
  if (installations.has(instance)) return instance;
  const maxFlowRequests = options.maxFlowRequests ?? 10;
  if (!Number.isInteger(maxFlowRequests) || maxFlowRequests < 1) {
    throw new TypeError('withAuth: maxFlowRequests must be a whole number of at least 1');
  }
  // A wrong client-level `auth` is reported now, not on the first request.
  toAuth(instance.defaults.auth);
  const installation = new Installation(instance, maxFlowRequests);
  instance.interceptors.request.use((config) => installation.prepare(config), undefined, {
    synchronous: true,
  });
  installations.set(instance, installation);
  inheritOnCreate(instance, options);
  return instance;
}

/**
 * `instance.create(config)` makes a child that inherits the parent's defaults, `auth` included,
 * but not its interceptors: without the driver, axios would send an `Auth` object as
 * `Basic undefined:undefined`. Children of an instance with the driver get it too. The global
 * `axios` object is left alone, so that other code's `axios.create()` is not changed behind it.
 */
function inheritOnCreate(instance: AxiosInstance, options: WithAuthOptions): void {
  const create = (instance as { create?: AxiosInstance['create'] }).create;
  if (typeof create !== 'function' || instance === axios) return;
  const createChild = create as (config?: CreateAxiosDefaults) => AxiosInstance;
  instance.create = ((config?: CreateAxiosDefaults) =>
    withAuth(createChild.call(instance, config), options)) as AxiosInstance['create'];
}

interface WrappedAdapter extends AxiosAdapter {
  authFlowInstallation?: Installation;
}

export class Installation {
  readonly #wrappers = new WeakMap<AxiosAdapter, WrappedAdapter>();
  /** The instance's pipeline without its response interceptors, for new requests a flow yields. */
  readonly pipeline: InstanceType<typeof axios.Axios>;

  constructor(
    instance: AxiosInstance,
    readonly maxFlowRequests: number,
  ) {
    this.pipeline = new axios.Axios(instance.defaults as AxiosRequestConfig);
    this.pipeline.interceptors.request = instance.interceptors.request;
  }

  /** The request interceptor: route the call through our adapter wrapper. */
  prepare(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    const current = config.adapter as WrappedAdapter | undefined;
    if (typeof current === 'function' && current.authFlowInstallation === this) return config;
    const adapter = axios.getAdapter(config.adapter, config);
    let wrapper = this.#wrappers.get(adapter);
    if (!wrapper) {
      // Which built-in adapter it is decides how redirects are guarded; known once per adapter.
      const kind = adapterKind(adapter, config);
      wrapper = (sent: InternalAxiosRequestConfig) => this.dispatch(sent, adapter, kind);
      wrapper.authFlowInstallation = this;
      this.#wrappers.set(adapter, wrapper);
    }
    config.adapter = wrapper;
    return config;
  }

  dispatch(
    config: InternalAxiosRequestConfig,
    adapter: AxiosAdapter,
    kind: AdapterKind,
  ): Promise<AxiosResponse> {
    const subrequest = (config as unknown as Record<string, unknown>)[SUBREQUEST_KEY];
    if (subrequest instanceof Subrequest) return subrequest.send(config, adapter, kind);

    const option: unknown = config.auth;
    // axios's own Basic handling must never fire (no stray `Basic Og==`). Set to null, not
    // deleted (a deleted property turns the per-call config into a slow dictionary object for
    // every later read inside axios's adapter) nor undefined: an adapter that sends through a
    // child instance (axios-mock-adapter's passThrough) merges the config again, and undefined
    // would let the client's default auth back in there (an interceptor that deleted `auth`).
    (config as { auth?: unknown }).auth = null;
    // Per-request auth wins over the client's (mergeConfig already did that); both win over
    // credentials in the URL, which apply when `auth` is absent or null, as in httpx.
    let once: ReturnType<typeof sendAuthorizedOnce>;
    let auth: Auth | undefined;
    try {
      const fromUrl = takeUrlCredentials(config);
      auth = toAuth(option) ?? (fromUrl && new BasicAuth(fromUrl.username, fromUrl.password));
      // A call with no auth keeps `auth: null` on the config users see, so `axios(error.config)`
      // stays without auth; responses of a withAuth instance always have a history.
      if (!auth) return sendAlone(config, adapter);
      once = sendAuthorizedOnce(this, auth, option, config, adapter, kind);
    } catch (error) {
      // Raised before anything is sent: a TypeError from toAuth or takeUrlCredentials, or what
      // an auth function (or a Bearer token function) threw.
      (config as { auth?: unknown }).auth = option;
      return Promise.reject(error);
    }
    if (once instanceof Promise) return once;
    return new Call(this, auth, option, config, adapter, kind).run(once?.step);
  }
}
