/**
 * PRIVATE to this package's own compilation: never imported by a module that is emitted, so no
 * consumer sees it (a `.d.ts` in src is not copied to dist, and no emitted declaration refers to
 * it).
 *
 * The driver sets `response.history` on the axios responses it hands back, typed as axios's
 * `AxiosResponse`. The public types put `history` only on `AuthAxiosResponse` (src/types.ts); until
 * the driver names that type where it builds a response, this lets its assignments compile
 * without declaring `history` on every consumer's `AxiosResponse`.
 */
export {};

declare module 'axios' {
  interface AxiosResponse {
    /** See `AuthAxiosResponse['history']` in src/types.ts. */
    history: import('axios').AxiosResponse[];
  }
}
