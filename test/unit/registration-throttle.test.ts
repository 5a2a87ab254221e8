/** The per-address in-band registration throttle (Prosody's registration_throttle_max/_period). */
import { describe, expect, test } from '@jest/globals';
import { RegistrationThrottle } from '../../server/stream/index.js';

/** A throttle on a clock the test moves by hand. */
function throttleWithClock(max: number, periodSeconds: number, trackedAddresses?: number) {
  let now = 1_000;
  const throttle = new RegistrationThrottle({ max, periodSeconds, trackedAddresses, now: () => now });
  return { throttle, advance: (ms: number) => { now += ms; } };
}

function takeMany(throttle: RegistrationThrottle, address: string, count: number): boolean[] {
  return Array.from({ length: count }, () => throttle.take(address));
}

describe('RegistrationThrottle', () => {
  test('a burst of max registrations, then refusals until the bucket refills at max/period', () => {
    const { throttle, advance } = throttleWithClock(10, 3600);
    expect(takeMany(throttle, '192.0.2.1', 11)).toEqual([...Array<boolean>(10).fill(true), false]);
    advance(359_000); // one registration refills every 360 s
    expect(throttle.take('192.0.2.1')).toBe(false);
    advance(1_000);
    expect(takeMany(throttle, '192.0.2.1', 2)).toEqual([true, false]);
    advance(3_600_000); // a whole period refills the bucket, never beyond max
    expect(takeMany(throttle, '192.0.2.1', 11)).toEqual([...Array<boolean>(10).fill(true), false]);
  });

  test('addresses have their own buckets; an IPv6 /64 shares one, an IPv4-mapped address is its IPv4', () => {
    const { throttle } = throttleWithClock(2, 60);
    expect(takeMany(throttle, '2001:db8:1:2::a', 2)).toEqual([true, true]);
    expect(throttle.take('2001:db8:1:2:ffff::b')).toBe(false);
    expect(throttle.take('2001:db8:1:3::a')).toBe(true);
    expect(takeMany(throttle, '::ffff:198.51.100.7', 2)).toEqual([true, true]);
    expect(throttle.take('198.51.100.7')).toBe(false);
    expect(throttle.take('198.51.100.8')).toBe(true);
  });

  test('memory is bounded: the least recently seen address is forgotten first', () => {
    const { throttle } = throttleWithClock(1, 60, 2);
    expect([throttle.take('192.0.2.1'), throttle.take('192.0.2.2'), throttle.take('192.0.2.3')]).toEqual([true, true, true]);
    // 192.0.2.1 was evicted (a full bucket again); 192.0.2.3 is still remembered.
    expect([throttle.take('192.0.2.1'), throttle.take('192.0.2.3')]).toEqual([true, false]);
  });
});
