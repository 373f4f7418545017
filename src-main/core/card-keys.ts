import { createHmac, randomBytes } from 'node:crypto';
import { KasaError } from '../../src-shared/api/errors';
import type { SecretStore } from './secret-store';

type KeyRing = { current: number; keys: Record<string, string> };

const SECRET = 'card-keys';

/**
 * The programme's card keys. A payment card is known only by `v<N>:<HMAC-SHA-256(key N, PAN)>`;
 * rotating adds key N+1 for new tokens while older versions still recognise cards already linked.
 */
export class CardKeys {
  #ring: KeyRing;

  constructor(private readonly secrets: SecretStore) {
    const stored = secrets.get(SECRET);
    this.#ring = stored ? (JSON.parse(stored.toString('utf8')) as KeyRing) : this.#create();
    if (!this.#ring.keys[String(this.#ring.current)]) throw new KasaError('STORAGE', 'The card key ring has no current key');
  }

  #create(): KeyRing {
    const ring = { current: 1, keys: { '1': randomBytes(32).toString('base64') } };
    this.secrets.set(SECRET, Buffer.from(JSON.stringify(ring)));
    return ring;
  }

  get currentVersion(): number {
    return this.#ring.current;
  }

  /** The token under the current key: what a newly linked card is stored as. */
  token(pan: string): string {
    return this.#tokenWith(this.#ring.current, pan);
  }

  /** Tokens under every key, newest first: what a lookup tries. */
  candidateTokens(pan: string): string[] {
    return Object.keys(this.#ring.keys)
      .map(Number)
      .sort((a, b) => b - a)
      .map((v) => this.#tokenWith(v, pan));
  }

  rotate(): number {
    const next = Math.max(...Object.keys(this.#ring.keys).map(Number)) + 1;
    this.#ring = { current: next, keys: { ...this.#ring.keys, [String(next)]: randomBytes(32).toString('base64') } };
    this.secrets.set(SECRET, Buffer.from(JSON.stringify(this.#ring)));
    return next;
  }

  #tokenWith(version: number, pan: string): string {
    const key = this.#ring.keys[String(version)];
    if (!key) throw new KasaError('STORAGE', `No card key version ${version}`);
    return `v${version}:${createHmac('sha256', Buffer.from(key, 'base64')).update(pan).digest('hex')}`;
  }
}
