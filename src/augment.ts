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
 */
import type { AxiosRequestConfig, AxiosResponse, CreateAxiosDefaults } from 'axios';
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

declare module 'axios' {
  interface AxiosResponse {
    /**
     * The earlier responses of this call's auth flow, oldest first (httpx's `response.history`):
     * `[]` for a call that took one exchange, `[401]` for a Digest call that paid a challenge.
     */
    history: AxiosResponse[];
  }

  interface AxiosInstance {
    <T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(config: AuthRequestConfig<D>): Promise<R>;
    <T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    request<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    get<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    delete<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    head<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    options<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    post<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    put<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    patch<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    postForm<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    putForm<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    patchForm<T = AxiosData, R = AxiosResponse<T>, D = AxiosData>(
      url: string,
      data: D | undefined,
      config: AuthRequestConfig<D>,
    ): Promise<R>;
    /** Inherited by `AxiosStatic`, so `axios.create({ auth })` takes our forms too. */
    create(config: AuthCreateConfig): AxiosInstance;
  }
}
