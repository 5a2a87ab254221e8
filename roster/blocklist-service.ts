/**
 * Users' blocklists (XEP-0191), offered per host under `blocklistServiceKey`: kept in the host's
 * `blocklist` store, held in memory while used (every inbound stanza asks), changed one command
 * per user at a time.
 */
import { StanzaError, ok, type Result } from '../server/errors/index.js';
import type { Jid } from '../server/jid/index.js';
import { serviceKey } from '../server/modules/index.js';
import { KeyedQueue, GrowingLru, type KeyValueStore } from '../server/storage/index.js';
import { applyBlockingCommand, isBlocked, type BlockingCommand, type BlocklistUpdate } from './blocklist.js';

/** A command applied: the list before it, after it, and what changed. */
export interface BlocklistChange extends BlocklistUpdate {
  readonly before: ReadonlySet<string>;
}

export interface BlocklistService {
  /** The user's blocked JIDs, normalised. Shared: read only. */
  blocklist(user: Jid): Promise<ReadonlySet<string>>;
  /** Whether the user blocks `other` (XEP-0191 §3.2 matching); never their own account. */
  blocks(user: Jid, other: Jid): Promise<boolean>;
  /**
   * The same answer without waiting when the user's list is in memory; undefined when it must be
   * read first. Every stanza asks, so the common case stays synchronous.
   */
  blocksNow(user: Jid, other: Jid): boolean | undefined;
  /** Applies a block or unblock command durably (see `applyBlockingCommand`). */
  apply(user: Jid, command: BlockingCommand): Promise<Result<BlocklistChange, StanzaError>>;
  /** Drops the user's list, e.g. when the account is deleted. */
  remove(user: Jid): Promise<void>;
}

/** The key under which a user host's blocklist service is provided. */
export const blocklistServiceKey = serviceKey<BlocklistService>('blocklist');

const EMPTY: ReadonlySet<string> = new Set();

/** Builds the service over a store keyed by the user's local part. */
export function createBlocklistService(store: KeyValueStore<string[]>, maxSize: number): BlocklistService {
  return new CachedBlocklistService(store, maxSize);
}

class CachedBlocklistService implements BlocklistService {
  readonly #store: KeyValueStore<string[]>;
  readonly #maxSize: number;
  readonly #cache = new GrowingLru<string, ReadonlySet<string>>({ max: 10_000, ttl: 3_600_000 });
  readonly #queue = new KeyedQueue();

  constructor(store: KeyValueStore<string[]>, maxSize: number) {
    this.#store = store;
    this.#maxSize = maxSize;
  }

  // Misses read inside the user's queue so that a read never overwrites a newer write in the cache.
  blocklist(user: Jid): Promise<ReadonlySet<string>> {
    const key = user.local;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.#queue.run(key, async () => {
      const list = this.#cache.get(key) ?? (await this.#read(user));
      this.#cache.set(key, list);
      return list;
    });
  }

  async blocks(user: Jid, other: Jid): Promise<boolean> {
    if (other.bare().equals(user.bare())) return false;
    return isBlocked(await this.blocklist(user), other);
  }

  blocksNow(user: Jid, other: Jid): boolean | undefined {
    if (other.bare().equals(user.bare())) return false;
    const cached = this.#cache.get(user.local);
    return cached === undefined ? undefined : isBlocked(cached, other);
  }

  apply(user: Jid, command: BlockingCommand): Promise<Result<BlocklistChange, StanzaError>> {
    return this.#queue.run(user.local, () => this.#change(user, command));
  }

  remove(user: Jid): Promise<void> {
    return this.#queue.run(user.local, async () => {
      this.#cache.delete(user.local);
      await this.#store.delete(user.local);
    });
  }

  async #read(user: Jid): Promise<ReadonlySet<string>> {
    const value: unknown = await this.#store.get(user.local);
    if (value === undefined) return EMPTY;
    // Stored data is checked: a damaged file must fail loudly, not silently unblock everyone.
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
      throw new TypeError(`stored blocklist of ${user.toString()} is not a list of JIDs`);
    }
    return new Set(value);
  }

  async #change(user: Jid, command: BlockingCommand): Promise<Result<BlocklistChange, StanzaError>> {
    const before = this.#cache.get(user.local) ?? (await this.#read(user));
    const update = applyBlockingCommand(before, command, this.#maxSize);
    if (!update.ok) return update;
    if (update.value.changed.length > 0) {
      await this.#store.set(user.local, [...update.value.after]);
      this.#cache.set(user.local, update.value.after);
    }
    return ok({ before, ...update.value });
  }
}
