/**
 * What a `DigestAuth` remembers between calls: per origin, the challenges by realm (RFC 7616
 * §3.3 protection spaces), and per space the nonce in use with its nonce count. This is what
 * lets N calls cost N+1 exchanges, and it is bounded whatever a server sends.
 */
import type { DigestChallenge } from './challenge.js';

/**
 * The protection spaces of one `DigestAuth`: per origin, the remembered challenges by realm.
 * A request uses the space whose `domain` covers its URL, else the origin's most recent space
 * without a `domain` (RFC 7616 §3.3: no domain means the whole origin); a URL outside every
 * known domain starts cold rather than send another realm's credentials.
 */
export class ProtectionSpaces {
  /** Origins are few; the cap only bounds memory for a client that visits many hosts. */
  static readonly MAX_ORIGINS = 256;
  readonly #byOrigin = new Map<string, ProtectionSpace[]>();

  find(url: URL): ProtectionSpace | undefined {
    const spaces = this.#byOrigin.get(url.origin);
    if (!spaces) return undefined;
    const covering = spaces.find((space) =>
      space.challenge.domain.some(
        (domain) => domain.origin === url.origin && url.pathname.startsWith(domain.pathname),
      ),
    );
    if (covering) return covering;
    for (let i = spaces.length - 1; i >= 0; i--) {
      const space = spaces[i];
      if (space && space.challenge.domain.length === 0) return space;
    }
    return undefined;
  }

  remember(origin: string, challenge: DigestChallenge): ProtectionSpace {
    let spaces = this.#byOrigin.get(origin);
    if (!spaces) {
      if (this.#byOrigin.size >= ProtectionSpaces.MAX_ORIGINS) {
        const oldest = this.#byOrigin.keys().next();
        if (!oldest.done) this.#byOrigin.delete(oldest.value);
      }
      spaces = [];
      this.#byOrigin.set(origin, spaces);
    }
    const index = spaces.findIndex((space) => space.challenge.realm === challenge.realm);
    const space = index >= 0 ? spaces.splice(index, 1)[0] : undefined;
    const updated = space ?? new ProtectionSpace(challenge);
    updated.update(challenge);
    spaces.push(updated); // most recent last
    return updated;
  }

  forget(origin: string, space: ProtectionSpace): void {
    const spaces = this.#byOrigin.get(origin);
    if (!spaces) return;
    const index = spaces.indexOf(space);
    if (index >= 0) spaces.splice(index, 1);
    if (spaces.length === 0) this.#byOrigin.delete(origin);
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
