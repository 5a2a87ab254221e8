/**
 * Per-address limit on in-band registrations (XEP-0077), with Prosody's mod_register_limits
 * option names and its util.throttle semantics: a token bucket per address that holds
 * `registration_throttle_max` registrations and refills at max/period, so a burst of `max` is
 * allowed and then one registration every period/max seconds. Addresses are counted by
 * `throttleKey` (an IPv6 address with its /64, an IPv4-mapped address as IPv4).
 *
 * Memory is bounded: an LRU of `trackedAddresses` buckets. A bucket untouched for a whole period
 * is full again, the same as no bucket, so entries expire after one period.
 */
import { LRUCache } from 'lru-cache';
import { throttleKey } from './throttle-key.js';

export interface RegistrationThrottleOptions {
  /** `registration_throttle_max`: registrations a bucket holds. */
  max: number;
  /** `registration_throttle_period`: seconds in which an empty bucket refills. */
  periodSeconds: number;
  /** Addresses remembered at once (the least recently seen are forgotten first). */
  trackedAddresses?: number;
  /** Milliseconds from a monotonic clock; tests pass their own. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in the clock's milliseconds. */
  updated: number;
}

export class RegistrationThrottle {
  readonly #max: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #buckets: LRUCache<string, Bucket>;

  constructor(options: RegistrationThrottleOptions) {
    this.#max = options.max;
    this.#perMs = options.max / (options.periodSeconds * 1000);
    this.#now = options.now ?? (() => performance.now());
    this.#buckets = new LRUCache<string, Bucket>({
      max: options.trackedAddresses ?? 10_000,
      ttl: options.periodSeconds * 1000,
      perf: { now: this.#now },
    });
  }

  /** Takes one registration from the address's bucket; false when it is empty (refuse). */
  take(address: string): boolean {
    const key = throttleKey(address);
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#max, updated: now };
    bucket.tokens = Math.min(this.#max, bucket.tokens + (now - bucket.updated) * this.#perMs);
    bucket.updated = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return allowed;
  }
}
