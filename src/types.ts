/**
 * Types for the `auth` forms of axios-auth-flow on axios's own API.
 *
 * Module augmentation cannot widen `AxiosRequestConfig['auth']` (an interface property keeps its
 * type), so this file adds overloads instead: to `axios.create` and to every request method of
 * `AxiosInstance` (the instance called as a function included). Each overload requires `auth` to
 * be one of our forms, so calls without `auth` still resolve to axios's own signatures and keep
 * their types. `history` is added to `AxiosResponse`, as every response of an instance that went
 * through `withAuth` carries it. Type parameter defaults are axios's own (`AxiosResponse['data']`
 * is axios's default data type), so a call reads the same with or without `auth`.
 *
 * One source serves both typings flavours of axios. In `index.d.ts` (ESM) everything is a
 * top-level export; in `index.d.cts` (CommonJS) the interfaces live in `declare namespace axios`
 * behind `export = axios`, which an augmentation of `'axios'` merges into, while the `Axios` class
 * stays outside the namespace, where no augmentation can reach it. Hence:
 * - the request methods are declared on `AxiosInstance`, not on `Axios`. An interface member
 *   hides the base class's member of the same name instead of adding overloads to it, so each one
 *   is declared as our signatures intersected with axios's own, which are read from the class
 *   through `AxiosStatic['Axios']` (a name both flavours export). Ours come first, so that a
 *   function `auth` gets `AuthRequest` as the type of its parameter from our overload;
 * - `AxiosResponse` is augmented with no type parameters. axios has added type parameters to it
 *   over 1.x (`<T, D>`, then `<T, D, H>`, then `<T, D, H, P>`), all with defaults, and TypeScript
 *   accepts a merged declaration that omits defaulted ones, so this compiles against each.
 */
import type { AxiosRequestConfig, AxiosResponse, AxiosStatic, CreateAxiosDefaults } from 'axios';
import type { AuthOption } from './auth-option.js';

/** axios's default type for response data and request data. */
type AxiosData = AxiosResponse['data'];

/** A request config whose `auth` is one of axios-auth-flow's forms (or null: no auth). */
export type AuthRequestConfig<D = AxiosData> = Omit<AxiosRequestConfig<D>, 'auth'> & {
  auth: AuthOption | null;
};

/** An `axios.create` config whose `auth` is one of axios-auth-flow's forms. */
export type AuthCreateConfig<D = AxiosData> = Omit<CreateAxiosDefaults<D>, 'auth'> & {
  auth: AuthOption | null;
};

// Inside `declare module 'axios'` a bare `AxiosResponse` names the namespace member, which
// declaration emit for the CommonJS flavour reports as a private name (TS4033). The augmentation
// names axios's types as `import('axios').X` instead, which emits as written in both flavours
// and reads as axios's own name in error messages.

/** The instance type of axios's `Axios` class, in either typings flavour. */
type AxiosMethods = InstanceType<AxiosStatic['Axios']>;

/** A request method without a body, when called with one of our `auth` forms. */
type AuthMethod = <T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
  url: string,
  config: AuthRequestConfig<D>,
) => Promise<R>;

/** A request method with a body, when called with one of our `auth` forms. */
type AuthDataMethod = <T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
  url: string,
  data: D | undefined,
  config: AuthRequestConfig<D>,
) => Promise<R>;

type AuthRequestMethod = <T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
  config: AuthRequestConfig<D>,
) => Promise<R>;

declare module 'axios' {
  interface AxiosResponse {
    /**
     * The earlier responses of this call's auth flow, oldest first (httpx's `response.history`):
     * `[]` for a call that took one exchange, `[401]` for a Digest call that paid a challenge.
     */
    history: import('axios').AxiosResponse[];
  }

  interface AxiosInstance {
    // Call signatures merge as overloads with axios's own, which `AxiosInstance` itself declares.
    <T = AxiosData, R = import('axios').AxiosResponse<T>, D = AxiosData>(
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    <T = AxiosData, R = import('axios').AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    request: AuthRequestMethod & AxiosMethods['request'];
    get: AuthMethod & AxiosMethods['get'];
    delete: AuthMethod & AxiosMethods['delete'];
    head: AuthMethod & AxiosMethods['head'];
    options: AuthMethod & AxiosMethods['options'];
    post: AuthDataMethod & AxiosMethods['post'];
    put: AuthDataMethod & AxiosMethods['put'];
    patch: AuthDataMethod & AxiosMethods['patch'];
    postForm: AuthDataMethod & AxiosMethods['postForm'];
    putForm: AuthDataMethod & AxiosMethods['putForm'];
    patchForm: AuthDataMethod & AxiosMethods['patchForm'];
    /** `instance.create({ auth })`: merges with `create` where `AxiosInstance` declares it. */
    create(config: AuthCreateConfig): import('axios').AxiosInstance;
  }

  interface AxiosStatic {
    /**
     * `axios.create({ auth })`. Up to axios 1.9 `AxiosStatic` declares its own `create`, which
     * hides the one of `AxiosInstance`; from 1.10 it inherits it, and a `create` declared here
     * would hide the inherited one. Declaring ours and axios's signature covers both layouts.
     */
    create(config: AuthCreateConfig): import('axios').AxiosInstance;
    create(config?: import('axios').CreateAxiosDefaults): import('axios').AxiosInstance;
  }
}
