/**
 * Users' archiving preferences in the `archive_prefs` store (Prosody's name), read on every
 * archived message and so cached: a bounded LRU whose entries expire, filled on read and
 * replaced on write, so a change takes effect for the next message. A change made by another
 * process (`salon deluser`) drops the cached entry through the store's watch, where it has one.
 */
import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from '../../server/storage/index.js';
import { readStoredPrefs, type ArchivePrefs } from './archive-prefs.js';

export class PrefsStore {
  readonly #store: KeyValueStore<unknown>;
  readonly #fallback: ArchivePrefs;
  // Stored prefs, or null for "none stored": both are worth remembering.
  readonly #cache = new LRUCache<string, { prefs: ArchivePrefs | null }>({ max: 10_000, ttl: 10 * 60_000 });

  /** `fallback`: the server's `default_archive_policy`, for users who set nothing. */
  readonly #unwatch: (() => void) | undefined;

  constructor(store: KeyValueStore<unknown>, fallback: ArchivePrefs) {
    this.#store = store;
    this.#fallback = fallback;
    this.#unwatch = store.watch?.((key) => (key === undefined ? this.#cache.clear() : this.#cache.delete(key)));
  }

  /** Stops watching the store. */
  close(): void {
    this.#unwatch?.();
  }

  /** The user's prefs if they are cached (the hot path: no promise), else undefined. */
  cached(username: string): ArchivePrefs | undefined {
    const cached = this.#cache.get(username);
    return cached === undefined ? undefined : (cached.prefs ?? this.#fallback);
  }

  /** The user's prefs (the server's default when none are stored). */
  async get(username: string): Promise<ArchivePrefs> {
    const cached = this.#cache.get(username);
    if (cached !== undefined) return cached.prefs ?? this.#fallback;
    const prefs = readStoredPrefs(await this.#store.get(username)) ?? null;
    this.#cache.set(username, { prefs });
    return prefs ?? this.#fallback;
  }

  /** Saves the user's prefs (durably) before they apply. */
  async set(username: string, prefs: ArchivePrefs): Promise<void> {
    await this.#store.set(username, { default: prefs.default, always: [...prefs.always], never: [...prefs.never] });
    this.#cache.set(username, { prefs });
  }

  async remove(username: string): Promise<void> {
    this.#cache.delete(username);
    await this.#store.delete(username);
  }
}
