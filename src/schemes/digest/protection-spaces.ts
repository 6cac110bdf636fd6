/**
 * What a `DigestAuth` remembers between calls: per origin, the challenges by realm (RFC 7616
 * §3.3 protection spaces), and per space the nonce in use with its nonce count. This is what
 * lets N calls cost N+1 exchanges, and it is bounded whatever a server sends:
 * - at most `MAX_ORIGINS` origins and `MAX_REALMS` realms per origin, each evicted least
 *   recently used (a use moves it to the back), so an origin or realm in constant use is never
 *   the one evicted and never pays a fresh 401 for others' sake;
 * - a realm is found by a Map lookup, not a search over what the server sent;
 * - a request's lookup reads at most `MAX_REALMS` spaces' `domain` lists, each of at most
 *   `MAX_DOMAIN_URIS` prefixes (`challenge.ts` bounds them), and none when no space of the
 *   origin has a `domain`, which is the usual case and the warm path.
 */
import type { UrlPlace } from '../../request.js';
import type { DigestChallenge } from './challenge.js';

/** What a lookup reads of a URL. */
type UrlLocation = Pick<UrlPlace, 'origin' | 'pathname'>;

/**
 * The protection spaces of one `DigestAuth`: per origin, the remembered challenges by realm.
 * A request uses the most recently used space whose `domain` covers its URL, else the origin's
 * most recently used space without a `domain` (RFC 7616 §3.3: no domain means the whole origin);
 * a URL outside every known domain starts cold rather than send another realm's credentials.
 */
export class ProtectionSpaces {
  /** Origins are few; the cap only bounds memory for a client that visits many hosts. */
  static readonly MAX_ORIGINS = 256;
  /** Realms per origin: deployed servers use a handful; a hostile one cannot grow the state. */
  static readonly MAX_REALMS = 32;
  /** Per origin, least recently used first (a Map keeps insertion order; a use re-inserts). */
  readonly #byOrigin = new Map<string, OriginSpaces>();
  /** The origin used last: using it again needs no re-insertion, so the warm path stays flat. */
  #newest: OriginSpaces | undefined;

  /** `url`: a `URL`, or an `AuthRequest`'s place (`requestPlace`). */
  find(url: UrlLocation): ProtectionSpace | undefined {
    const spaces = this.#byOrigin.get(url.origin);
    if (!spaces) return undefined;
    const space = spaces.find(url);
    if (space) this.#touch(spaces);
    return space;
  }

  remember(origin: string, challenge: DigestChallenge): ProtectionSpace {
    let spaces = this.#byOrigin.get(origin);
    if (!spaces) {
      if (this.#byOrigin.size >= ProtectionSpaces.MAX_ORIGINS) {
        const oldest = this.#byOrigin.keys().next();
        if (!oldest.done) this.#byOrigin.delete(oldest.value);
      }
      spaces = new OriginSpaces(origin);
      this.#byOrigin.set(origin, spaces);
    }
    this.#touch(spaces);
    return spaces.remember(challenge);
  }

  forget(origin: string, space: ProtectionSpace): void {
    const spaces = this.#byOrigin.get(origin);
    if (!spaces) return;
    spaces.forget(space);
    if (spaces.size === 0) {
      this.#byOrigin.delete(origin);
      if (this.#newest === spaces) this.#newest = undefined;
    }
  }

  /** How many origins are remembered (for tests of the cap). */
  get size(): number {
    return this.#byOrigin.size;
  }

  /** The remembered realms of an origin, least recently used first (for tests of the cap). */
  realms(origin: string): string[] {
    return this.#byOrigin.get(origin)?.realms() ?? [];
  }

  #touch(spaces: OriginSpaces): void {
    if (this.#newest === spaces) return;
    this.#byOrigin.delete(spaces.origin);
    this.#byOrigin.set(spaces.origin, spaces);
    this.#newest = spaces;
  }
}

/** The spaces of one origin, by realm, least recently used first. */
class OriginSpaces {
  readonly #byRealm = new Map<string, ProtectionSpace>();
  /** How many spaces have a `domain`: when none has, a lookup reads no path. */
  #withDomain = 0;
  /** The most recently used space without a `domain`: the whole origin's answer. */
  #wholeOrigin: ProtectionSpace | undefined;
  /** The space used last, which needs no re-insertion when used again. */
  #newest: ProtectionSpace | undefined;

  constructor(readonly origin: string) {}

  get size(): number {
    return this.#byRealm.size;
  }

  find(url: UrlLocation): ProtectionSpace | undefined {
    if (this.#withDomain > 0) {
      const covering = this.#covering(url.pathname);
      if (covering) {
        this.#touch(covering);
        return covering;
      }
    }
    if (this.#wholeOrigin) this.#touch(this.#wholeOrigin);
    return this.#wholeOrigin;
  }

  remember(challenge: DigestChallenge): ProtectionSpace {
    let space = this.#byRealm.get(challenge.realm);
    if (space) {
      if (space.challenge.domain.length > 0) this.#withDomain--;
      space.update(challenge);
    } else {
      if (this.#byRealm.size >= ProtectionSpaces.MAX_REALMS) {
        const oldest = this.#byRealm.values().next();
        if (!oldest.done) this.forget(oldest.value);
      }
      space = new ProtectionSpace(challenge);
      this.#byRealm.set(challenge.realm, space);
    }
    if (challenge.domain.length > 0) {
      this.#withDomain++;
      // A realm that now has a domain no longer answers for the whole origin.
      if (this.#wholeOrigin === space) this.#wholeOrigin = this.#newestWholeOrigin(space);
    }
    this.#touch(space);
    return space;
  }

  forget(space: ProtectionSpace): void {
    const realm = space.challenge.realm;
    if (this.#byRealm.get(realm) !== space) return;
    this.#byRealm.delete(realm);
    if (space.challenge.domain.length > 0) this.#withDomain--;
    if (this.#newest === space) this.#newest = undefined;
    if (this.#wholeOrigin === space) this.#wholeOrigin = this.#newestWholeOrigin(undefined);
  }

  realms(): string[] {
    return [...this.#byRealm.keys()];
  }

  /** The most recently used space whose domain covers `path`; at most MAX_REALMS × URIs reads. */
  #covering(path: string): ProtectionSpace | undefined {
    let found: ProtectionSpace | undefined;
    for (const space of this.#byRealm.values()) {
      // Later in the Map is more recently used: the last covering space wins.
      if (space.challenge.domain.some((prefix) => path.startsWith(prefix))) found = space;
    }
    return found;
  }

  /** The most recently used space without a domain, other than `except`. */
  #newestWholeOrigin(except: ProtectionSpace | undefined): ProtectionSpace | undefined {
    let found: ProtectionSpace | undefined;
    for (const space of this.#byRealm.values()) {
      if (space !== except && space.challenge.domain.length === 0) found = space;
    }
    return found;
  }

  #touch(space: ProtectionSpace): void {
    if (space.challenge.domain.length === 0) this.#wholeOrigin = space;
    if (this.#newest === space) return;
    const realm = space.challenge.realm;
    this.#byRealm.delete(realm);
    this.#byRealm.set(realm, space);
    this.#newest = space;
  }
}

/** One origin+realm: its current challenge and a nonce count per nonce. */
export class ProtectionSpace {
  /** Older nonces keep their counter for a while, so a late response cannot rewind one. */
  static readonly NONCES_KEPT = 32;
  static readonly MAX_COUNT = 0xffffffff; // nc is 8 hex digits
  challenge: DigestChallenge;
  /** The nonce in use and its last count: the hot path touches only these two fields. */
  #nonce: string;
  #count = 0;
  /** Counts of nonces used before, least recently used first. */
  readonly #earlier = new Map<string, number>();

  constructor(challenge: DigestChallenge) {
    this.challenge = challenge;
    this.#nonce = challenge.nonce;
  }

  update(challenge: DigestChallenge): void {
    this.challenge = challenge;
    this.useNonce(challenge.nonce);
  }

  useNonce(nonce: string): void {
    if (nonce === this.#nonce) return;
    // The outgoing nonce keeps its count; one seen before resumes where it was.
    this.#earlier.set(this.#nonce, this.#count);
    if (this.#earlier.size > ProtectionSpace.NONCES_KEPT) {
      const oldest = this.#earlier.keys().next();
      if (!oldest.done) this.#earlier.delete(oldest.value);
    }
    this.#count = this.#earlier.get(nonce) ?? 0;
    this.#earlier.delete(nonce);
    this.#nonce = nonce;
  }

  /**
   * The nonce and the next nonce count for it, taken in one synchronous step: no two requests
   * can get the same count for a nonce (RFC 7616 §3.4: the server may reject a repeated nc).
   */
  nextCount(): { nonce: string; nc: number } {
    // Four billion requests on one nonce: counting on would repeat; answer the last count and
    // let the server's 401 bring a fresh nonce.
    if (this.#count < ProtectionSpace.MAX_COUNT) this.#count += 1;
    return { nonce: this.#nonce, nc: this.#count };
  }
}
