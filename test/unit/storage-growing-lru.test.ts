import { describe, expect, test } from '@jest/globals';
import { GrowingLru } from '../../server/storage/index.js';

describe('GrowingLru', () => {
  test('reads before the first set find nothing', () => {
    const cache = new GrowingLru<string, number>({ max: 2 });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
    expect(cache.delete('a')).toBe(false);
  });

  test('behaves as an LRU of `max` entries', () => {
    const cache = new GrowingLru<string, number>({ max: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3); // evicts b, the least recently used
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    expect(cache.delete('a')).toBe(true);
    expect(cache.get('a')).toBeUndefined();
  });

  test('grows past its first capacity up to max, keeping recency, then evicts the least recently used', () => {
    const max = 1_000;
    const cache = new GrowingLru<number, number>({ max });
    for (let i = 0; i < max; i++) {
      cache.set(i, i * 10);
      if (i % 50 === 0) cache.get(0); // keep entry 0 the most recently used through every growth
    }
    for (let i = 0; i < max; i++) expect(cache.get(i)).toBe(i * 10);
    cache.get(0);
    // Now 1 is the least recently used: a new key evicts it and nothing else.
    cache.set(max, 1);
    expect(cache.has(1)).toBe(false);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(2)).toBe(true);
    let held = 0;
    for (let i = 0; i <= max; i++) if (cache.has(i)) held++;
    expect(held).toBe(max);
  });

  test('replacing a key in a full cache does not grow it or evict another', () => {
    const cache = new GrowingLru<number, string>({ max: 100 });
    for (let i = 0; i < 64; i++) cache.set(i, 'x');
    cache.set(5, 'y'); // the initial capacity is full, but 5 is already there
    for (let i = 0; i < 64; i++) expect(cache.has(i)).toBe(true);
    expect(cache.get(5)).toBe('y');
  });

  test('TTLs hold across growth, including per-entry TTLs and kept expiries (noUpdateTTL)', async () => {
    const cache = new GrowingLru<string, number>({ max: 1_000, ttl: 80 });
    cache.set('short', 1);
    cache.set('kept', 2, { ttl: 10_000 });
    for (let i = 0; i < 300; i++) cache.set(`filler-${i}`, i); // several rebuilds
    cache.set('short', 3, { noUpdateTTL: true }); // keeps its first expiry
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('filler-0')).toBeUndefined();
    expect(cache.get('kept')).toBe(2);
  });

  test('refuses a size that is not a positive integer', () => {
    expect(() => new GrowingLru({ max: 0 })).toThrow(RangeError);
    expect(() => new GrowingLru({ max: 1.5 })).toThrow(RangeError);
  });
});
