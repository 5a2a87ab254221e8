/**
 * Offline messages in the host's `offline` storage, one queue per user keyed by the local part.
 * A queue is an append-only log: keeping a message appends (and fsyncs) one record, and handing
 * the queue over removes it, so nothing already kept is rewritten while the queue grows. Queues
 * written by earlier versions as one list value (key-value store `offline`) are read first and
 * removed with the rest.
 * Every change to a user's queue runs after the previous one, so a message arriving while the
 * queue is being handed to a resource is neither lost nor handed over twice.
 */
import { LRUCache } from 'lru-cache';
import { KeyedQueue, type AppendLog, type KeyValueStore } from '../server/storage/index.js';
import {
  offlineUsage, readOfflineQueue, usageAfterAppend, type OfflineLimits, type OfflineMessage, type OfflineUsage,
} from './offline-queue.js';

export interface OfflineStore {
  /** Appends a message; false (and nothing stored) when that would pass a bound of `limits`. */
  append(username: string, message: OfflineMessage, limits: OfflineLimits): Promise<boolean>;
  /** Removes and returns the user's messages, oldest first. */
  take(username: string): Promise<OfflineMessage[]>;
  /** Puts messages that could not be handed over back in front of the queue. */
  restore(username: string, messages: readonly OfflineMessage[]): Promise<void>;
  /** Forgets the user's queue (account deleted). */
  remove(username: string): Promise<void>;
}

/** Where a user's queue lives: the log, and the list value of earlier versions. */
export interface OfflineStorage {
  readonly log: AppendLog<unknown>;
  readonly legacy: KeyValueStore<unknown>;
}

/**
 * Queue sizes remembered so that an append need not read the queue to check the bounds. An
 * entry is exact for changes made here; the TTL bounds how long a change by another process
 * sharing the storage (`salon deluser`) can go unseen.
 */
const USAGE_CACHE = { max: 10_000, ttl: 60_000 } as const;

export function createOfflineStore(storage: OfflineStorage): OfflineStore {
  const { log, legacy } = storage;
  const queue = new KeyedQueue();
  const usage = new LRUCache<string, OfflineUsage>(USAGE_CACHE);
  const readLegacy = async (username: string): Promise<OfflineMessage[]> => readOfflineQueue(await legacy.get(username));
  const readAll = async (username: string): Promise<OfflineMessage[]> =>
    [...await readLegacy(username), ...readOfflineQueue(await log.read(username))];
  const forget = async (username: string, hadLegacy: boolean): Promise<void> => {
    usage.delete(username);
    await log.delete(username);
    if (hadLegacy) await legacy.delete(username);
  };
  return {
    append: (username, message, limits) => queue.run(username, async () => {
      const before = usage.get(username) ?? offlineUsage(await readAll(username));
      const after = usageAfterAppend(before, message, limits);
      if (after === undefined) return false;
      usage.delete(username); // unknown until the append has settled
      await log.append(username, message);
      usage.set(username, after);
      return true;
    }),
    take: (username) => queue.run(username, async () => {
      const older = await readLegacy(username);
      const messages = [...older, ...readOfflineQueue(await log.read(username))];
      if (messages.length > 0) await forget(username, older.length > 0);
      usage.set(username, { messages: 0, bytes: 0 });
      return messages;
    }),
    restore: (username, messages) => queue.run(username, async () => {
      if (messages.length === 0) return;
      const older = await readLegacy(username);
      const all = [...messages, ...older, ...readOfflineQueue(await log.read(username))];
      usage.delete(username);
      await log.replace(username, all);
      if (older.length > 0) await legacy.delete(username);
      usage.set(username, offlineUsage(all));
    }),
    remove: (username) => queue.run(username, async () => {
      await forget(username, (await readLegacy(username)).length > 0);
    }),
  };
}
