/**
 * An LRU cache (lru-cache underneath) whose storage grows with use up to `max`. lru-cache
 * allocates its arrays for `max` entries up front: ≈ 2 ms and a few hundred KiB at 10,000
 * entries with a TTL. Every host has several such caches (failed logins, rosters, blocklists),
 * so a test fixture or a quiet host would pay for all of them at start-up, and the first login
 * would pay again for each cache it touches. This one starts with room for `INITIAL_CAPACITY`
 * entries and, when full, moves them into a cache four times larger (TTLs and recency kept),
 * until `max`: a few rebuilds in the life of a busy cache, each linear in its size.
 */
import { LRUCache } from 'lru-cache';

const INITIAL_CAPACITY = 64;
const GROWTH = 4;

type Options<K extends {}, V extends {}> = LRUCache.Options<K, V, unknown> & { max: number };

export class GrowingLru<K extends {}, V extends {}> {
  readonly #options: Options<K, V>;
  #cache: LRUCache<K, V> | undefined;

  constructor(options: Options<K, V>) {
    if (!Number.isSafeInteger(options.max) || options.max < 1) throw new RangeError(`invalid cache size ${options.max}`);
    this.#options = options;
  }

  get(key: K): V | undefined {
    return this.#cache?.get(key);
  }

  has(key: K): boolean {
    return this.#cache?.has(key) ?? false;
  }

  set(key: K, value: V, options?: LRUCache.SetOptions<K, V, unknown>): void {
    const cache = this.#roomFor(key);
    cache.set(key, value, options);
  }

  delete(key: K): boolean {
    return this.#cache?.delete(key) ?? false;
  }

  /** The cache to set `key` in: a larger one when the current is full and may still grow. */
  #roomFor(key: K): LRUCache<K, V> {
    const current = this.#cache;
    if (current === undefined) return (this.#cache = this.#make(Math.min(INITIAL_CAPACITY, this.#options.max)));
    if (current.size < current.max || current.max >= this.#options.max || current.has(key)) return current;
    const larger = this.#make(Math.min(current.max * GROWTH, this.#options.max));
    larger.load(current.dump()); // least recently used first, with each entry's TTL and start
    return (this.#cache = larger);
  }

  #make(max: number): LRUCache<K, V> {
    return new LRUCache<K, V>({ ...this.#options, max });
  }
}
