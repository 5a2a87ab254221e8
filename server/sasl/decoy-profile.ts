/**
 * What an unknown user looks like on one host, so that SCRAM's first challenge (RFC 5802 §9) does
 * not tell which accounts exist: a salt derived from the user name under a secret kept in storage
 * (the same answer before and after a restart, as for a real account) and the iteration count
 * most stored accounts carry (`AccountStore.typicalIterations`), not the configured one, which
 * only new accounts carry after `sasl_iterations` changes.
 */
import { randomBytes } from 'node:crypto';
import type { AccountStore, ScramHash } from '../accounts/index.js';
import type { KeyValueStore } from '../storage/index.js';
import { DECOY_KEY_BYTES, decoyCredentials, type ServerCredentials } from './decoy-credentials.js';

/** The store (per host) holding the decoy secret; one key, never sent anywhere. */
export const DECOY_STORE = 'sasl_decoy';
const SECRET_KEY = 'salt_key';

export interface DecoyProfileOptions {
  accounts: AccountStore;
  /** Where the decoy secret is kept (`DECOY_STORE` of the host). */
  secrets: KeyValueStore<string>;
}

export class DecoyProfile {
  readonly #accounts: AccountStore;
  readonly #secrets: KeyValueStore<string>;
  #key: Promise<Buffer> | undefined;

  constructor(options: DecoyProfileOptions) {
    this.#accounts = options.accounts;
    this.#secrets = options.secrets;
  }

  /** Decoy credentials for `username` under `hash`. Rejects only on storage errors. */
  async credentials(hash: ScramHash, username: string): Promise<ServerCredentials> {
    const [key, iterations] = await Promise.all([this.#secret(), this.#accounts.typicalIterations()]);
    return decoyCredentials(hash, username, iterations, key);
  }

  #secret(): Promise<Buffer> {
    if (this.#key === undefined) {
      this.#key = this.#loadSecret();
      // A storage error is retried at the next lookup instead of being remembered.
      this.#key.catch(() => {
        this.#key = undefined;
      });
    }
    return this.#key;
  }

  async #loadSecret(): Promise<Buffer> {
    const stored = await this.#secrets.get(SECRET_KEY);
    const decoded = typeof stored === 'string' ? Buffer.from(stored, 'base64') : undefined;
    if (decoded?.length === DECOY_KEY_BYTES) return decoded;
    const fresh = randomBytes(DECOY_KEY_BYTES);
    await this.#secrets.set(SECRET_KEY, fresh.toString('base64'));
    return fresh;
  }
}
