/**
 * The page side of the browser suite, bundled by esbuild with the package's ESM build and
 * axios's browser build (page-bundle.ts) and run in Chromium. It registers `runCase`, which the
 * test calls with `page.evaluate`: the case's calls are made through `withAuth(axios.create())`
 * with the adapter asked for, and what the page saw comes back as plain JSON.
 *
 * Only types come from src/ (erased by esbuild): the values are the bundled package's, passed
 * to `install` by the bundle's entry, which imports 'axios-auth-flow' as a consumer would.
 */
import type { AxiosResponse, AxiosStatic } from 'axios';
import { browserCases, type Library } from '../../browser/cases';

export type Adapter = 'xhr' | 'fetch';

export interface PageCall {
  status: number | null;
  /** `response.history` statuses, or `error.response.history`'s. */
  history: number[];
  /** Each `history` entry's own history, as statuses: it should hold the ones before it. */
  nestedHistory: number[][];
  data: unknown;
  /** When the call rejected: what it rejected with. */
  error: { name: string; isAxiosError: boolean; message: string } | null;
}

export interface RunOptions {
  /** axios's `withCredentials`; left out when undefined. */
  withCredentials?: boolean;
}

export type RunCase = (
  name: string,
  adapter: Adapter,
  baseURL: string,
  options?: RunOptions,
) => Promise<PageCall[]>;

/** What the page's global scope gets. */
export interface PageGlobals {
  runCase: RunCase;
}

type Historied = AxiosResponse & { history?: AxiosResponse[] };

const statuses = (responses: AxiosResponse[] | undefined): number[] =>
  (responses ?? []).map((response) => response.status);

function outcomeOf(response: Historied | undefined): Omit<PageCall, 'error'> {
  return {
    status: response?.status ?? null,
    history: statuses(response?.history),
    nestedHistory: (response?.history ?? []).map((earlier: Historied) => statuses(earlier.history)),
    data: response?.data,
  };
}

export function install(lib: Library, axios: AxiosStatic): void {
  const runCase: RunCase = async (name, adapter, baseURL, options = {}) => {
    const found = browserCases.find((entry) => entry.name === name);
    if (!found) throw new Error(`no browser case named ${JSON.stringify(name)}`);
    const client = lib.withAuth(
      axios.create({
        baseURL,
        adapter,
        ...(options.withCredentials === undefined
          ? {}
          : { withCredentials: options.withCredentials }),
      }),
    );
    const auth = found.auth(lib);
    const calls: PageCall[] = [];
    for (let i = 0; i < found.calls.length; i++) {
      try {
        const response: Historied = await client.request({
          method: found.request.method,
          url: found.request.path,
          data: found.request.data,
          auth,
        });
        calls.push({ ...outcomeOf(response), error: null });
      } catch (error) {
        const response = axios.isAxiosError(error) ? (error.response as Historied) : undefined;
        const { name: errorName, message } = error as Error;
        calls.push({
          ...outcomeOf(response),
          error: { name: errorName, isAxiosError: axios.isAxiosError(error), message },
        });
      }
    }
    return calls;
  };
  (globalThis as unknown as PageGlobals).runCase = runCase;
}
