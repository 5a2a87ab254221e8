/** The limit key every per-address limit counts under, and the connection counter built on it. */
import { describe, expect, test } from '@jest/globals';
import { addressKey } from '../../server/net/address-key.js';
import { ConnectionCounter } from '../../server/net/connection-counter.js';
import { throttleKey } from '../../server/stream/throttle-key.js';

describe('addressKey', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['1:2:3:4:5:6:192.0.2.1', '1:2:3:4::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  test.each(['1:2:3:4:5:6:7:8:9', '1::2::3', 'zz::1', '1:2:3', 'unix:/run/salon.sock'])('malformed %s counts as itself', (address) => {
    expect(addressKey(address)).toBe(address);
  });

  test('the login throttle counts under the same key (one helper for every limit)', () => {
    for (const address of ['::ffff:10.1.2.3', '2001:db8:1:2::77', '198.51.100.7']) expect(throttleKey(address)).toBe(addressKey(address));
  });
});

describe('ConnectionCounter', () => {
  test('an IPv4 client has one budget in its plain and its IPv4-mapped form', () => {
    const counter = new ConnectionCounter(2);
    expect(counter.acquire('192.0.2.1')).toBeUndefined();
    expect(counter.acquire('::ffff:192.0.2.1')).toBeUndefined();
    expect(counter.acquire('192.0.2.1')).toBe('address-full');
    expect(counter.acquire('::ffff:192.0.2.1')).toBe('address-full');
    counter.release('::ffff:192.0.2.1');
    expect(counter.acquire('192.0.2.1')).toBeUndefined();
  });

  test('every address of an IPv6 /64 shares one budget; another /64 has its own', () => {
    const counter = new ConnectionCounter(2);
    expect(counter.acquire('2001:db8:0:1::a')).toBeUndefined();
    expect(counter.acquire('2001:db8:0:1:ffff::b')).toBeUndefined();
    expect(counter.acquire('2001:db8:0:1::c')).toBe('address-full');
    expect(counter.acquire('2001:db8:0:2::a')).toBeUndefined();
  });

  test('the total cap refuses every address once reached, and frees with releases', () => {
    const counter = new ConnectionCounter(100, 3);
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect(counter.acquire(address)).toBeUndefined();
    expect(counter.acquire('10.0.0.4')).toBe('server-full');
    expect(counter.total).toBe(3);
    counter.release('10.0.0.2');
    counter.release('10.0.0.9'); // never acquired: changes nothing
    expect(counter.total).toBe(2);
    expect(counter.acquire('10.0.0.4')).toBeUndefined();
  });
});
