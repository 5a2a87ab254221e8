import { describe, expect, test } from '@jest/globals';
import { coreOptionsSchema } from '../../server/config/core-options.js';
import { AuthLimiter } from '../../server/stream/index.js';
import { TRACKED_ADDRESSES } from '../../server/stream/auth-limiter.js';

/** The limiter with the shipped `limit_auth_max` / `limit_auth_period` and a clock the test moves. */
function shippedLimiter(): { limiter: AuthLimiter; max: number; periodMs: number; advance: (ms: number) => void } {
  const defaults = coreOptionsSchema.parse({});
  let now = 1_000_000;
  const limiter = new AuthLimiter({ max: defaults.limit_auth_max, periodSeconds: defaults.limit_auth_period, now: () => now });
  return { limiter, max: defaults.limit_auth_max, periodMs: defaults.limit_auth_period * 1000, advance: (ms) => (now += ms) };
}

describe('AuthLimiter with the shipped limits', () => {
  test('the shipped values are 10 failures per 60 s', () => {
    const { max, periodMs } = shippedLimiter();
    expect({ max, periodMs }).toEqual({ max: 10, periodMs: 60_000 });
  });

  test('locks an address out at the max-th failure within the period, not before', () => {
    const { limiter, max } = shippedLimiter();
    for (let i = 1; i < max; i++) {
      expect(limiter.recordFailure('192.0.2.1')).toMatchObject({ failures: i, lockedOut: false });
      expect(limiter.isBlocked('192.0.2.1')).toBe(false);
    }
    expect(limiter.recordFailure('192.0.2.1')).toEqual({ failures: max, lockedOut: true, secondsLeft: 60 });
    expect(limiter.isBlocked('192.0.2.1')).toBe(true);
    expect(limiter.secondsBlocked('192.0.2.1')).toBe(60);
    expect(limiter.isBlocked('192.0.2.2')).toBe(false); // other addresses are not affected
  });

  test('the lockout ends when the window that began with the first failure ends', () => {
    const { limiter, max, periodMs, advance } = shippedLimiter();
    limiter.recordFailure('192.0.2.1');
    advance(periodMs / 2);
    for (let i = 1; i < max; i++) limiter.recordFailure('192.0.2.1');
    expect(limiter.isBlocked('192.0.2.1')).toBe(true);
    advance(periodMs / 2 - 1);
    expect(limiter.isBlocked('192.0.2.1')).toBe(true);
    advance(1);
    expect(limiter.isBlocked('192.0.2.1')).toBe(false);
    expect(limiter.recordFailure('192.0.2.1')).toMatchObject({ failures: 1, lockedOut: false }); // a new window
  });

  test('failures spread over more than a period never lock out', () => {
    const { limiter, max, periodMs, advance } = shippedLimiter();
    for (let i = 0; i < 5 * max; i++) {
      expect(limiter.recordFailure('192.0.2.1').lockedOut).toBe(false);
      advance(Math.ceil(periodMs / (max - 1)) + 1); // fewer than max failures in any one window
    }
  });

  test('a success from the address clears its count (people behind one NAT)', () => {
    const { limiter, max } = shippedLimiter();
    for (let round = 0; round < 20; round++) {
      for (let i = 1; i < max; i++) limiter.recordFailure('198.51.100.7');
      expect(limiter.isBlocked('198.51.100.7')).toBe(false);
      limiter.recordSuccess('198.51.100.7');
    }
    expect(limiter.recordFailure('198.51.100.7')).toMatchObject({ failures: 1 });
  });

  test('a success on another address clears nothing', () => {
    const { limiter, max } = shippedLimiter();
    for (let i = 0; i < max; i++) limiter.recordFailure('192.0.2.1');
    limiter.recordSuccess('192.0.2.2');
    expect(limiter.isBlocked('192.0.2.1')).toBe(true);
  });

  test('an IPv6 /64 shares one count; another /64 does not', () => {
    const { limiter, max } = shippedLimiter();
    for (let i = 0; i < max; i++) limiter.recordFailure(`2001:db8:1:2::${(i + 1).toString(16)}`);
    expect(limiter.isBlocked('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe(true);
    expect(limiter.isBlocked('2001:db8:1:3::1')).toBe(false);
  });

  test('memory stays bounded: the least recently seen addresses are forgotten', () => {
    const limiter = new AuthLimiter({ max: 1, periodSeconds: 60, trackedAddresses: 100, now: () => 0 });
    limiter.recordFailure('192.0.2.1');
    for (let i = 0; i < 100; i++) limiter.recordFailure(`10.0.0.${i}`);
    expect(limiter.isBlocked('192.0.2.1')).toBe(false);
    expect(limiter.isBlocked('10.0.0.99')).toBe(true);
  });
});

describe('the shipped memory bound', () => {
  test('an address that keeps failing is still counted after 65,536 other /64s failed once', () => {
    const limiter = new AuthLimiter({ max: 10, periodSeconds: 60, now: () => 0 });
    for (let i = 0; i < 9; i++) limiter.recordFailure('192.0.2.7');
    // One /48 of IPv6 space, one failure per /64: the flood an attacker would use to be forgotten.
    for (let i = 0; i < 65_536; i++) limiter.recordFailure(`2001:db8:1:${i.toString(16)}::1`);
    expect(limiter.recordFailure('192.0.2.7').lockedOut).toBe(true);
    expect(TRACKED_ADDRESSES).toBeGreaterThan(65_536);
  });
});
