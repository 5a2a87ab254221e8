/**
 * Rate limiting of failed authorizations per client address (spec §2.4): after `maxFailures`
 * failures within a window that opens with the first failure, every request from that address
 * is answered 429 until the window closes. Addresses are kept in a bounded LRU: an attacker
 * rotating addresses can only push out old entries, never grow memory. Addresses count under
 * their limit key (`addressKey`: IPv4-mapped as IPv4, IPv6 by /64), like every per-address limit.
 */
import { addressKey } from '../../../server/net/index.js';
import { GrowingLru } from '../../../server/storage/index.js';

export interface FailureLimiterOptions {
  /** Failures allowed per window; default 10. */
  readonly maxFailures?: number;
  /** Window length in milliseconds; default one minute. */
  readonly windowMs?: number;
  /** Addresses remembered at most; default 10 000. */
  readonly maxAddresses?: number;
  /** Clock in milliseconds (tests replace it). */
  readonly now?: () => number;
}

interface Window {
  readonly opened: number;
  failures: number;
}

export class FailureLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows: GrowingLru<string, Window>;

  constructor(options: FailureLimiterOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#windows = new GrowingLru<string, Window>({ max: options.maxAddresses ?? 10_000 });
  }

  /** True while `address` has used up its failures in the current window. */
  isBlocked(address: string): boolean {
    const window = this.#current(addressKey(address));
    return window !== undefined && window.failures >= this.#maxFailures;
  }

  /** Counts one failure for `address`. */
  recordFailure(address: string): void {
    const key = addressKey(address);
    const window = this.#current(key);
    if (window === undefined) this.#windows.set(key, { opened: this.#now(), failures: 1 });
    else window.failures += 1;
  }

  /** The open window of an address key; a closed one is forgotten. */
  #current(key: string): Window | undefined {
    const window = this.#windows.get(key);
    if (window === undefined) return undefined;
    if (this.#now() - window.opened < this.#windowMs) return window;
    this.#windows.delete(key);
    return undefined;
  }
}
