/**
 * Per-address limit on failed authentications (Prosody's mod_limit_auth: `limit_auth_max`
 * failures per `limit_auth_period`). Bounded: an LRU of addresses, entries expire with the period.
 */
import { GrowingLru } from '../storage/growing-lru.js';

export class AuthLimiter {
  readonly #failures: GrowingLru<string, number>;
  readonly #max: number;

  constructor(options: { max: number; periodSeconds: number; trackedAddresses?: number }) {
    this.#max = options.max;
    this.#failures = new GrowingLru<string, number>({
      max: options.trackedAddresses ?? 10_000,
      ttl: options.periodSeconds * 1000,
      ttlAutopurge: false,
    });
  }

  /** True when this address has used up its failures for the current period. */
  isBlocked(address: string): boolean {
    return (this.#failures.get(address) ?? 0) >= this.#max;
  }

  recordFailure(address: string): void {
    // Keep the first failure's expiry: the window starts at the first failure (noUpdateTTL).
    this.#failures.set(address, (this.#failures.get(address) ?? 0) + 1, { noUpdateTTL: this.#failures.has(address) });
  }
}
