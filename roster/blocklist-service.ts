/**
 * Users' blocklists (XEP-0191), offered per host under `blocklistServiceKey`: kept in the host's
 * `blocklist` store, held in memory while used (every inbound stanza asks), changed one command
 * per user at a time.
 */
import { LRUCache } from 'lru-cache';
import { StanzaError, ok, type Result } from '../server/errors/index.js';
import type { Jid } from '../server/jid/index.js';
import { serviceKey } from '../server/modules/index.js';
import { KeyedQueue, type KeyValueStore } from '../server/storage/index.js';
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
  const cache = new LRUCache<string, ReadonlySet<string>>({ max: 10_000, ttl: 3_600_000 });
  const queue = new KeyedQueue();

  async function read(user: Jid): Promise<ReadonlySet<string>> {
    const value = await store.get(user.local);
    if (value === undefined) return EMPTY;
    // Stored data is checked: a damaged file must fail loudly, not silently unblock everyone.
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
      throw new TypeError(`stored blocklist of ${user.toString()} is not a list of JIDs`);
    }
    return new Set(value);
  }

  // Misses read inside the user's queue so that a read never overwrites a newer write in the cache.
  function blocklist(user: Jid): Promise<ReadonlySet<string>> {
    const key = user.local;
    const cached = cache.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return queue.run(key, async () => {
      const list = cache.get(key) ?? (await read(user));
      cache.set(key, list);
      return list;
    });
  }

  async function change(user: Jid, command: BlockingCommand): Promise<Result<BlocklistChange, StanzaError>> {
    const before = cache.get(user.local) ?? (await read(user));
    const update = applyBlockingCommand(before, command, maxSize);
    if (!update.ok) return update;
    if (update.value.changed.length > 0) {
      await store.set(user.local, [...update.value.after]);
      cache.set(user.local, update.value.after);
    }
    return ok({ before, ...update.value });
  }

  return {
    blocklist,
    async blocks(user, other) {
      if (other.bare().equals(user.bare())) return false;
      return isBlocked(await blocklist(user), other);
    },
    apply: (user, command) => queue.run(user.local, () => change(user, command)),
    remove: (user) => queue.run(user.local, async () => {
      cache.delete(user.local);
      await store.delete(user.local);
    }),
  };
}
