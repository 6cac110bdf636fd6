/**
 * The variants `npm run bench` measures, one entry each. A variant is a client and the path it
 * calls; a row with a `baseline` is printed as a ratio to that variant, beside its `target`
 * (issue 7's figures). To add a variant, add an entry: the rounds, the table and the checks
 * take it from here.
 *
 * The baselines are what a user would write without this package: bare axios, axios's own
 * `auth` option, and request interceptors written by hand (the floors).
 */
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AuthOption, AuthRequest } from '../src/index';
import type { Built } from './harness';
import { DIGEST } from './protocol';

export interface VariantSpec {
  name: string;
  /** The server path it calls (`protocol.ts` says which scheme each path asks for). */
  path: string;
  /** The variant its ratio is taken to; none for a baseline. */
  baseline?: string;
  /** The most the ratio to the baseline may be (issue 7), or a note such as 'A/A control'. */
  target?: number | string;
  /** Why this variant cannot run with this build, or undefined when it can. */
  unavailable?: (built: Built) => string | undefined;
  /** The client. Each variant has its own keep-alive connection. */
  client(built: Built): AxiosInstance;
}

const USER = 'user';
const PASSWORD = 'secret';
const TOKEN = 't';

/**
 * A fresh instance with its own keep-alive agent (one socket: the calls are sequential), and
 * `auth` on the client, as a user would set it.
 */
function create(auth?: AuthOption): AxiosInstance {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return auth === undefined ? axios.create({ httpAgent }) : axios.create({ auth, httpAgent });
}

const noBearer = (built: Built): string | undefined =>
  typeof built.BearerAuth === 'function' ? undefined : 'this build exports no BearerAuth';

export const VARIANTS: readonly VariantSpec[] = [
  { name: 'bare axios (A)', path: '/plain', client: () => create() },
  {
    name: "bare axios (A')",
    path: '/plain',
    baseline: 'bare axios (A)',
    target: 'A/A control',
    client: () => create(),
  },
  {
    name: 'withAuth, no auth',
    path: '/plain',
    baseline: 'bare axios (A)',
    target: 1.01,
    client: (built) => built.withAuth(create()),
  },
  {
    // What `withAuth` installs, doing nothing: one synchronous request interceptor. The no-auth
    // row cannot cost less than this, so it is printed beside it as a reference, not a target.
    name: 'bare axios + no-op interceptor',
    path: '/plain',
    baseline: 'bare axios (A)',
    target: 'reference',
    client: () => {
      const instance = create();
      instance.interceptors.request.use((config) => config, undefined, { synchronous: true });
      return instance;
    },
  },
  {
    // The least a call with no auth can cost and still get a `history`: the interceptor routes
    // the call through an adapter wrapper that gives each response an empty history with a
    // reaction beside axios's chain, as `withAuth` does, and nothing else (no auth to look for;
    // the adapter looked up per call and one wrapper kept). A reference, like the row above.
    name: 'bare axios + history wrapper',
    path: '/plain',
    baseline: 'bare axios (A)',
    target: 'reference',
    client: () => historyWrapper(create()),
  },
  {
    name: 'axios native Basic',
    path: '/basic',
    client: () => create({ username: USER, password: PASSWORD }),
  },
  {
    name: 'BasicAuth',
    path: '/basic',
    baseline: 'axios native Basic',
    target: 1.02,
    client: (built) => built.withAuth(create(new built.BasicAuth(USER, PASSWORD))),
  },
  {
    name: 'function auth (Basic header)',
    path: '/basic',
    baseline: 'axios native Basic',
    target: 1.02,
    client: (built) => {
      const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      const auth = (request: AuthRequest): AuthRequest => {
        request.headers.set('Authorization', authorization);
        return request;
      };
      return built.withAuth(create(auth));
    },
  },
  {
    name: 'hand-written Digest (floor)',
    path: '/digest',
    client: () => handWrittenDigest(create(), USER, PASSWORD),
  },
  {
    name: 'DigestAuth (warm)',
    path: '/digest',
    baseline: 'hand-written Digest (floor)',
    target: 1.03,
    client: (built) => built.withAuth(create(new built.DigestAuth(USER, PASSWORD))),
  },
  {
    name: 'hand-written Bearer',
    path: '/bearer',
    unavailable: noBearer,
    client: () => handWrittenBearer(create(), TOKEN),
  },
  {
    name: 'BearerAuth',
    path: '/bearer',
    baseline: 'hand-written Bearer',
    target: 1.03,
    unavailable: noBearer,
    client: (built) => {
      const BearerAuth = built.BearerAuth as new (token: string) => AuthOption;
      return built.withAuth(create(new BearerAuth(TOKEN)));
    },
  },
  {
    // A token from an earlier login, valid for the whole run: the warm path, no token request.
    name: 'OAuth2Auth (warm)',
    path: '/bearer',
    baseline: 'hand-written Bearer',
    target: 1.03,
    unavailable: noBearer,
    client: (built) => {
      const OAuth2Auth = built.OAuth2Auth as new (options: object) => AuthOption;
      const token = { accessToken: TOKEN, expiresAt: Date.now() + 24 * 3600_000 };
      return built.withAuth(
        create(new OAuth2Auth({ tokenUrl: '/token', clientId: 'bench', token })),
      );
    },
  },
];

/** See the variant 'bare axios + history wrapper'. */
function historyWrapper(instance: AxiosInstance): AxiosInstance {
  const giveHistory = (response: AxiosResponse): void => {
    (response as { history?: AxiosResponse[] }).history = [];
  };
  const ignore = (): void => undefined;
  // The adapter is looked up per call, as withAuth and axios itself do (axios copies a list of
  // adapter names into each call's config), and wrapped once: one wrapper is kept for it.
  let wrapped: AxiosAdapter | undefined;
  let wrapper: AxiosAdapter | undefined;
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const adapter = axios.getAdapter(config.adapter, config);
      if (!wrapper || adapter !== wrapped) {
        wrapped = adapter;
        wrapper = (sent) => {
          const answer = adapter(sent);
          answer.then(giveHistory, ignore);
          return answer;
        };
      }
      config.adapter = wrapper;
      return config;
    },
    undefined,
    { synchronous: true },
  );
  return instance;
}

/**
 * The Digest floor: what a user who knows the server's challenge would write by hand. One
 * synchronous request interceptor: HA1 once, then per request HA2, the next nonce count, a
 * random cnonce and the response (RFC 7616 §3.4.1, MD5, qop=auth), with Node's crypto.
 * The cnonce is `randomUUID()`, which Node serves from a pool: `randomBytes` per call costs a
 * system call (8 µs on a VM), which the package avoids with its own pool, and a floor must not
 * pay what the package does not.
 */
function handWrittenDigest(
  instance: AxiosInstance,
  username: string,
  password: string,
): AxiosInstance {
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  const ha1 = md5(`${username}:${DIGEST.realm}:${password}`);
  let nonceCount = 0;
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      const { pathname, search } = new URL(config.url!, config.baseURL);
      const uri = pathname + search;
      const nc = (++nonceCount).toString(16).padStart(8, '0');
      const cnonce = randomUUID();
      const ha2 = md5(`${config.method!.toUpperCase()}:${uri}`);
      const response = md5(`${ha1}:${DIGEST.nonce}:${nc}:${cnonce}:${DIGEST.qop}:${ha2}`);
      config.headers.set(
        'Authorization',
        `Digest username="${username}", realm="${DIGEST.realm}", nonce="${DIGEST.nonce}", ` +
          `uri="${uri}", algorithm=${DIGEST.algorithm}, qop=${DIGEST.qop}, nc=${nc}, ` +
          `cnonce="${cnonce}", response="${response}", opaque="${DIGEST.opaque}"`,
      );
      return config;
    },
    undefined,
    { synchronous: true },
  );
  return instance;
}

/** The Bearer floor: a synchronous request interceptor that sets the header. */
function handWrittenBearer(instance: AxiosInstance, token: string): AxiosInstance {
  instance.interceptors.request.use(
    (config: InternalAxiosRequestConfig) => {
      config.headers.set('Authorization', `Bearer ${token}`);
      return config;
    },
    undefined,
    { synchronous: true },
  );
  return instance;
}
