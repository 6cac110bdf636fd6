/**
 * The public types of axios-auth-flow on axios's API, typed the way axios's add-ons type
 * themselves: on the instance that `withAuth` returns, not on axios for everyone.
 *
 * axios-cache-interceptor's `setupCache(instance)` returns its own `AxiosCacheInstance`, whose
 * calls take the cache options and whose responses carry `cached`; axios-retry adds one
 * namespaced key. Likewise `withAuth(instance)` returns an instance whose calls take every `auth`
 * form and whose responses carry `history`, while a plain instance keeps axios's own types: there
 * `auth: ['u', 'p']` or a function is a type error (axios would send `Basic Og==`), and
 * `response.history` does not exist (it does not at run time either). Nothing here changes
 * `AxiosResponse`, `AxiosRequestConfig` or `AxiosInstance`, so another package's declarations that
 * extend them (AxiosCacheInstance) still check with `skipLibCheck: false`.
 *
 * The one augmentation is an overload of `axios.create` (on `AxiosStatic` only): the documented
 * `withAuth(axios.create({ auth: new DigestAuth(...) }))` type-checks its inner call before
 * `withAuth` sees it, so `create` itself must take our forms. It only adds a signature (calls
 * without `auth` resolve as before) and returns axios's own `AxiosInstance`; a plain instance's
 * `create`, an interface other packages extend, is left alone.
 *
 * What `withAuth(instance)` returns (`WithAuth<T>`):
 * - for an instance typed `AxiosInstance`, `AuthAxiosInstance`: an interface that extends
 *   `AxiosInstance` (so axios-retry and axios-mock-adapter take it) with our signatures first,
 *   axios's after, a `create` whose children carry the driver (they do at run time), and
 *   `defaults.auth` written with every form. The last needs an accessor read as axios's type
 *   (what `AxiosInstance` requires, with `exactOptionalPropertyTypes` too) and written as ours:
 *   TypeScript 5.1 or later;
 * - for an add-on's instance (`AxiosCacheInstance`, or any subtype of `AxiosInstance`), that type
 *   itself with our signatures in front: the add-on's own config keys (`cache`, `id`) are taken
 *   beside every `auth` form, its own members stay, and its responses' extra fields (as its
 *   response interceptors are typed: `cached`, `id`) are kept beside `history`. Its
 *   `defaults.auth` keeps the add-on's type: an intersection cannot widen what one side writes.
 *
 * One source serves both typings flavours of axios: in `index.d.cts` (CommonJS) the interfaces
 * live in `declare namespace axios` behind `export = axios`; type imports name them in both, and
 * the `Axios` class (which the namespace does not hold) is reached as `AxiosStatic['Axios']`.
 */
import axios from 'axios';
import type {
  AxiosBasicCredentials,
  AxiosError,
  AxiosInstance,
  AxiosInterceptorManager,
  AxiosRequestConfig,
  AxiosResponse,
  AxiosStatic,
  CreateAxiosDefaults,
} from 'axios';
import type { AuthOption } from './auth-option.js';

/** axios's default type for response data and request data (its own `any`, kept as axios has it). */
type AxiosData = AxiosResponse['data'];

/** A config of type `C` whose `auth` takes every form, and whose `data` is `D`. */
type WithAuthOption<C, D> = Omit<C, 'auth' | 'data'> & {
  /** Any `auth` form; `null` sends this request with no authentication. */
  auth?: AuthOption | null;
  data?: D;
};

/** A request config whose `auth` is one of axios-auth-flow's forms (or null: no auth). */
export type AuthRequestConfig<D = AxiosData> = WithAuthOption<AxiosRequestConfig<D>, D>;

/** An `axios.create` config whose `auth` is one of axios-auth-flow's forms. */
export type AuthCreateConfig<D = AxiosData> = WithAuthOption<CreateAxiosDefaults<D>, D>;

/** A response of an instance that went through `withAuth`. */
export interface AuthAxiosResponse<T = AxiosData, D = AxiosData> extends AxiosResponse<T, D> {
  /**
   * The earlier responses of this call's auth flow, oldest first (httpx's `response.history`):
   * `[]` for a call that took one exchange, `[401]` for a Digest call that paid a challenge.
   * Each has the ones before it as its own `history`.
   */
  history: AuthAxiosResponse[];
}

/** An `AxiosError` of an instance that went through `withAuth`: its response has `history`. */
export interface AuthAxiosError<T = unknown, D = AxiosData> extends AxiosError<T, D> {
  response?: AuthAxiosResponse<T, D>;
}

/**
 * Whether `error` is an `AxiosError` whose response (if it has one) carries `history`: true for
 * the errors of an instance that went through `withAuth`, false for a plain instance's.
 *
 * @example
 * try { await client.get('/protected'); } catch (error) {
 *   if (isAuthAxiosError(error)) console.log(error.response?.history.length);
 * }
 */
export function isAuthAxiosError<T = unknown, D = AxiosData>(
  error: unknown,
): error is AuthAxiosError<T, D> {
  if (!axios.isAxiosError(error)) return false;
  const response: unknown = error.response;
  return (
    response === undefined ||
    (typeof response === 'object' &&
      response !== null &&
      Array.isArray((response as { history?: unknown }).history))
  );
}

/** The response a call of ours resolves to: `history`, plus what the add-on's responses carry. */
type ResponseOf<T, X> = [keyof X] extends [never] ? AuthAxiosResponse<T> : AuthAxiosResponse<T> & X;

/** The request signatures `withAuth` puts in front of an instance's own: `C` is its config type. */
export interface AuthCalls<C = AxiosRequestConfig, X = object> {
  <T = AxiosData, R = ResponseOf<T, X>, D = AxiosData>(config: WithAuthOption<C, D>): Promise<R>;
  <T = AxiosData, R = ResponseOf<T, X>, D = AxiosData>(
    url: string,
    config?: WithAuthOption<C, D>,
  ): Promise<R>;
  request<T = AxiosData, R = ResponseOf<T, X>, D = AxiosData>(
    config: WithAuthOption<C, D>,
  ): Promise<R>;
  get: NoBodyMethod<C, X>;
  delete: NoBodyMethod<C, X>;
  head: NoBodyMethod<C, X>;
  options: NoBodyMethod<C, X>;
  post: BodyMethod<C, X>;
  put: BodyMethod<C, X>;
  patch: BodyMethod<C, X>;
  postForm: BodyMethod<C, X>;
  putForm: BodyMethod<C, X>;
  patchForm: BodyMethod<C, X>;
}

/** `get`, `delete`, `head`, `options` of an instance with the driver. */
type NoBodyMethod<C, X> = <T = AxiosData, R = ResponseOf<T, X>, D = AxiosData>(
  url: string,
  config?: WithAuthOption<C, D>,
) => Promise<R>;

/** `post`, `put`, `patch` and their `Form` variants of an instance with the driver. */
type BodyMethod<C, X> = <T = AxiosData, R = ResponseOf<T, X>, D = AxiosData>(
  url: string,
  data?: D,
  config?: WithAuthOption<C, D>,
) => Promise<R>;

/**
 * `defaults` of an instance with the driver: `auth` is written with every form and read as
 * axios's own type, which is what `AxiosInstance` requires of it (axios-retry and
 * axios-mock-adapter take an `AxiosInstance`). What it holds is whatever was written.
 */
export type AuthDefaults = Omit<AxiosInstance['defaults'], 'auth'> & {
  get auth(): AxiosBasicCredentials;
  set auth(value: AuthOption | null | undefined);
};

/** The instance type of axios's `Axios` class, in either typings flavour. */
type AxiosMethods = InstanceType<AxiosStatic['Axios']>;

/**
 * An instance made with `axios.create()` after `withAuth`: what `withAuth(axios.create())`
 * returns. Each method is ours intersected with axios's own: ours come first, so every call
 * resolves to ours (`{ username, password }` is one of our forms too) and its response has
 * `history`; axios's are there so that the instance is still an `AxiosInstance` for axios's
 * generic signatures (their params type `P` has no counterpart across axios 1.x) and for the
 * add-ons that take one.
 */
export interface AuthAxiosInstance extends AxiosInstance {
  // Call signatures: an interface's own come before those it inherits from `AxiosInstance`.
  <T = AxiosData, R = AuthAxiosResponse<T>, D = AxiosData>(
    config: AuthRequestConfig<D>,
  ): Promise<R>;
  <T = AxiosData, R = AuthAxiosResponse<T>, D = AxiosData>(
    url: string,
    config?: AuthRequestConfig<D>,
  ): Promise<R>;
  request: AuthCalls['request'] & AxiosMethods['request'];
  get: AuthCalls['get'] & AxiosMethods['get'];
  delete: AuthCalls['delete'] & AxiosMethods['delete'];
  head: AuthCalls['head'] & AxiosMethods['head'];
  options: AuthCalls['options'] & AxiosMethods['options'];
  post: AuthCalls['post'] & AxiosMethods['post'];
  put: AuthCalls['put'] & AxiosMethods['put'];
  patch: AuthCalls['patch'] & AxiosMethods['patch'];
  postForm: AuthCalls['postForm'] & AxiosMethods['postForm'];
  putForm: AuthCalls['putForm'] & AxiosMethods['putForm'];
  patchForm: AuthCalls['patchForm'] & AxiosMethods['patchForm'];
  /** A child with the parent's defaults (`auth` included) and the driver. */
  create(config?: AuthCreateConfig): AuthAxiosInstance;
  defaults: AuthDefaults;
}

/** The config type an instance's `get` takes (axios's, or an add-on's such as `CacheRequestConfig`). */
type ConfigOf<I> = I extends { get(url: string, config?: infer C): unknown }
  ? C
  : AxiosRequestConfig;

/** The fields an add-on adds to responses, as its response interceptors are typed (`cached`, `id`). */
type ResponseExtrasOf<I> = I extends {
  interceptors: { response: AxiosInterceptorManager<infer V> };
}
  ? Omit<V, keyof AxiosResponse>
  : object;

/** What `withAuth(instance)` returns for an instance of type `I`. */
export type WithAuth<I extends AxiosInstance> = AxiosInstance extends I
  ? AuthAxiosInstance
  : AuthCalls<ConfigOf<I>, ResponseExtrasOf<I>> & I;

declare module 'axios' {
  interface AxiosStatic {
    /**
     * `axios.create({ auth })` with any of axios-auth-flow's forms, for `withAuth` to take.
     * Up to axios 1.9 `AxiosStatic` declares its own `create`, which hides the one of
     * `AxiosInstance`; from 1.10 it inherits it, and a `create` declared here would hide the
     * inherited one. Declaring ours and axios's signature covers both layouts.
     */
    create(config: AuthCreateConfig): import('axios').AxiosInstance;
    create(config?: import('axios').CreateAxiosDefaults): import('axios').AxiosInstance;
  }
}
