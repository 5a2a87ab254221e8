/**
 * Per-address throttling of password guessing (`limit_auth_max` failed credential checks per
 * `limit_auth_period` seconds, Prosody's option names), with ejabberd mod_fail2ban's rule that a
 * successful login from the address clears its count.
 *
 * Only failed credential checks are recorded: a wrong password or SCRAM proof, or an unknown
 * user. A failed SASL negotiation (an unsupported channel-binding type, a malformed or out-of-order
 * message, an abort) tests no password, so it gives a guesser nothing and is never recorded: it is
 * what ordinary clients produce while they find a mechanism both sides support.
 *
 * The window opens at an address's first failure and lasts one period; reaching the maximum
 * refuses every login from the address (`temporary-auth-failure`) until the window ends.
 * Addresses are counted by `throttleKey` (an IPv6 address with its /64). Memory is bounded: an
 * LRU of `trackedAddresses` keys, and an expired entry counts as none.
 */
import { GrowingLru } from '../storage/index.js';
import { throttleKey } from './throttle-key.js';

/**
 * Addresses remembered by default. Forgetting is what an attacker with many addresses (an IPv6
 * /48 holds 65,536 /64 keys) would use to wipe its own counts; 100,000 keys cost at most about
 * 10 MiB, and an address that keeps trying stays recent, so it is never the one forgotten.
 */
export const TRACKED_ADDRESSES = 100_000;

interface Window {
  failures: number;
  /** When the window ends, in the clock's milliseconds. */
  ends: number;
}

export interface AuthLimiterOptions {
  /** `limit_auth_max`: failed credential checks allowed per window. */
  max: number;
  /** `limit_auth_period`: the window's length in seconds. */
  periodSeconds: number;
  /** Addresses remembered at once (the least recently seen are forgotten first). */
  trackedAddresses?: number;
  /** Milliseconds from a monotonic clock; tests pass their own. */
  now?: () => number;
}

/** What `recordFailure` did to the address. */
export interface FailureRecord {
  /** Failures in the current window, this one included. */
  failures: number;
  /** This failure used up the window: logins from the address are refused until it ends. */
  lockedOut: boolean;
  /** Seconds until the window ends. */
  secondsLeft: number;
}

export class AuthLimiter {
  readonly #windows: GrowingLru<string, Window>;
  readonly #max: number;
  readonly #periodMs: number;
  readonly #now: () => number;

  constructor(options: AuthLimiterOptions) {
    this.#max = options.max;
    this.#periodMs = options.periodSeconds * 1000;
    this.#now = options.now ?? (() => performance.now());
    this.#windows = new GrowingLru<string, Window>({ max: options.trackedAddresses ?? TRACKED_ADDRESSES });
  }

  /** True while this address has used up its failures for the current window. */
  isBlocked(address: string): boolean {
    const window = this.#current(throttleKey(address));
    return window !== undefined && window.failures >= this.#max;
  }

  /** Seconds until a blocked address may try again (0 when it is not blocked). */
  secondsBlocked(address: string): number {
    const window = this.#current(throttleKey(address));
    return window === undefined || window.failures < this.#max ? 0 : Math.ceil((window.ends - this.#now()) / 1000);
  }

  /** Records one failed credential check from `address`. */
  recordFailure(address: string): FailureRecord {
    const key = throttleKey(address);
    const now = this.#now();
    let window = this.#current(key, now);
    if (window === undefined) {
      window = { failures: 0, ends: now + this.#periodMs };
      this.#windows.set(key, window);
    }
    window.failures++;
    return { failures: window.failures, lockedOut: window.failures === this.#max, secondsLeft: Math.ceil((window.ends - now) / 1000) };
  }

  /**
   * A login from `address` succeeded: its count starts again (mod_fail2ban). People behind one NAT
   * or proxy share an address; one person's typos must not add up with everyone else's.
   */
  recordSuccess(address: string): void {
    this.#windows.delete(throttleKey(address));
  }

  /** The key's window unless it has ended; the clock is read only when there is one. */
  #current(key: string, now?: number): Window | undefined {
    const window = this.#windows.get(key);
    if (window === undefined || (now ?? this.#now()) < window.ends) return window;
    this.#windows.delete(key);
    return undefined;
  }
}
