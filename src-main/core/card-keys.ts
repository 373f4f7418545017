import { createHmac, randomBytes } from 'node:crypto';
import { KasaError } from '../../src-shared/api/errors';
import { jsonOrNull } from '../../src-shared/domain/json-or-null';
import { CardKeyRing, CHAIN_CARD_TOKEN } from '../../src-shared/sync/protocol';
import type { SecretStore } from './secret-store';

type KeyRing = { current: number; keys: Record<string, string> };

/** The terminal's own key ring: what it tokenises cards with until (or unless) a server gives it the chain's. */
const OWN_SECRET = 'card-keys';
/** The chain's key ring, as the server handed it over (enrolment, or GET /v1/terminals/card-keys). */
const CHAIN_SECRET = 'chain-card-keys';

/** The versions of a ring, newest first. */
const versionsOf = (ring: KeyRing) =>
  Object.keys(ring.keys)
    .map(Number)
    .sort((a, b) => b - a);

/**
 * The programme's card keys. A payment card is known only by a keyed token, HMAC-SHA-256 of the
 * PAN: `c<N>:<hex>` under version N of the chain's key (the same at every terminal of the chain,
 * so links sync), or `v<N>:<hex>` under the terminal's own key, which it made before a server gave
 * it the chain's and keeps so the cards it linked then are still found. Rotating adds a version
 * for new tokens while older versions still recognise cards already linked.
 */
export class CardKeys {
  #own: KeyRing;
  #chain: KeyRing | null;

  constructor(private readonly secrets: SecretStore) {
    const stored = secrets.get(OWN_SECRET);
    this.#own = stored ? (JSON.parse(stored.toString('utf8')) as KeyRing) : this.#create();
    if (!this.#own.keys[String(this.#own.current)]) throw new KasaError('STORAGE', 'The card key ring has no current key');
    const chain = secrets.get(CHAIN_SECRET);
    if (chain === null) {
      this.#chain = null;
    } else {
      const parsed = CardKeyRing.safeParse(jsonOrNull(chain.toString('utf8')));
      if (!parsed.success) throw new KasaError('STORAGE', "The chain's card key ring kept on this terminal is damaged: enrol the terminal again to receive it");
      this.#chain = parsed.data;
    }
  }

  #create(): KeyRing {
    const ring = { current: 1, keys: { '1': randomBytes(32).toString('base64') } };
    this.secrets.set(OWN_SECRET, Buffer.from(JSON.stringify(ring)));
    return ring;
  }

  /** The terminal's own key version (its `v<N>:` tokens). */
  get currentVersion(): number {
    return this.#own.current;
  }

  /** The chain key's current version, or null while the terminal has none. */
  get chainVersion(): number | null {
    return this.#chain?.current ?? null;
  }

  /** The token a newly linked card is stored as: under the chain's current key when there is one. */
  token(pan: string): string {
    return this.#chain ? this.#tokenWith('c', this.#chain, this.#chain.current, pan) : this.#tokenWith('v', this.#own, this.#own.current, pan);
  }

  /** Tokens under every key, the chain's first, newest first: what a lookup tries. */
  candidateTokens(pan: string): string[] {
    return [...this.chainTokens(pan), ...versionsOf(this.#own).map((v) => this.#tokenWith('v', this.#own, v, pan))];
  }

  /** Tokens under every version of the chain's key, newest first (none without it): what the server matches a link by. */
  chainTokens(pan: string): string[] {
    const chain = this.#chain;
    return chain ? versionsOf(chain).map((v) => this.#tokenWith('c', chain, v, pan)) : [];
  }

  /**
   * Keeps the chain's ring the server handed over. Says whether it changed anything. A version
   * already held with another key means another chain's ring (the terminal was enrolled with
   * another server): the new ring replaces it, and cards linked under the old one are found only
   * by their own-key tokens, if any.
   */
  installChainRing(ring: CardKeyRing): { changed: boolean; replacedKeys: boolean } {
    const parsed = CardKeyRing.parse(ring);
    const held = this.#chain;
    const sameKeys = held !== null && Object.keys(held.keys).length === Object.keys(parsed.keys).length && Object.entries(held.keys).every(([version, key]) => parsed.keys[version] === key);
    if (sameKeys && held.current === parsed.current) return { changed: false, replacedKeys: false };
    const replacedKeys = held !== null && Object.entries(held.keys).some(([version, key]) => parsed.keys[version] !== undefined && parsed.keys[version] !== key);
    this.secrets.set(CHAIN_SECRET, Buffer.from(JSON.stringify(parsed)));
    this.#chain = parsed;
    return { changed: true, replacedKeys };
  }

  /** Rotates the terminal's own key (a terminal without the chain's). */
  rotate(): number {
    const next = Math.max(...Object.keys(this.#own.keys).map(Number)) + 1;
    this.#own = { current: next, keys: { ...this.#own.keys, [String(next)]: randomBytes(32).toString('base64') } };
    this.secrets.set(OWN_SECRET, Buffer.from(JSON.stringify(this.#own)));
    return next;
  }

  #tokenWith(prefix: 'c' | 'v', ring: KeyRing, version: number, pan: string): string {
    const key = ring.keys[String(version)];
    if (!key) throw new KasaError('STORAGE', `No card key version ${version}`);
    return `${prefix}${version}:${createHmac('sha256', Buffer.from(key, 'base64')).update(pan).digest('hex')}`;
  }
}

/** A token the whole chain knows a card by (under the chain's key), as against this terminal's own. */
export const isChainToken = (token: string): boolean => CHAIN_CARD_TOKEN.test(token);
