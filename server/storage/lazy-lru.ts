/**
 * An LRU cache whose storage is allocated on the first `set`. lru-cache allocates its arrays for
 * `max` entries up front (≈ 2 ms and a few hundred KiB at 10,000 entries with a TTL); every host
 * has several such caches (failed logins, rosters, blocklists), and a test fixture or a quiet
 * host would pay for all of them at start-up whether or not they ever hold an entry.
 */
import { LRUCache } from 'lru-cache';

export class LazyLru<K extends {}, V extends {}> {
  readonly #options: LRUCache.Options<K, V, unknown>;
  #cache: LRUCache<K, V> | undefined;

  constructor(options: LRUCache.Options<K, V, unknown>) {
    this.#options = options;
  }

  get(key: K): V | undefined {
    return this.#cache?.get(key);
  }

  has(key: K): boolean {
    return this.#cache?.has(key) ?? false;
  }

  set(key: K, value: V, options?: LRUCache.SetOptions<K, V, unknown>): void {
    this.#cache ??= new LRUCache<K, V>(this.#options);
    this.#cache.set(key, value, options);
  }

  delete(key: K): boolean {
    return this.#cache?.delete(key) ?? false;
  }
}
