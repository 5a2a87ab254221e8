import { describe, expect, test } from '@jest/globals';
import { LazyLru } from '../../server/storage/index.js';

describe('LazyLru', () => {
  test('reads before the first set find nothing and make no cache', () => {
    const cache = new LazyLru<string, number>({ max: 2 });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
    expect(cache.delete('a')).toBe(false);
  });

  test('behaves as an LRU of `max` entries once used', () => {
    const cache = new LazyLru<string, number>({ max: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3); // evicts b, the least recently used
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    expect(cache.delete('a')).toBe(true);
    expect(cache.get('a')).toBeUndefined();
  });

  test('entries expire after the configured TTL, and set options apply', async () => {
    const cache = new LazyLru<string, number>({ max: 10, ttl: 30 });
    cache.set('short', 1);
    cache.set('kept', 2, { ttl: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('kept')).toBe(2);
  });
});
