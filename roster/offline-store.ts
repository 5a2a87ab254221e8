/**
 * Offline messages in the host's `offline` store, one queue per user keyed by the local part.
 * Every change to a user's queue runs after the previous one, so a message arriving while the
 * queue is being handed to a resource is neither lost nor handed over twice.
 */
import { KeyedQueue, type KeyValueStore } from '../server/storage/index.js';
import { appendOfflineMessage, readOfflineQueue, type OfflineMessage } from './offline-queue.js';

export interface OfflineStore {
  /** Appends a message; false (and nothing stored) when the user already has `max`. */
  append(username: string, message: OfflineMessage, max: number): Promise<boolean>;
  /** Removes and returns the user's messages, oldest first. */
  take(username: string): Promise<OfflineMessage[]>;
  /** Puts messages that could not be handed over back in front of the queue. */
  restore(username: string, messages: readonly OfflineMessage[]): Promise<void>;
  /** Forgets the user's queue (account deleted). */
  remove(username: string): Promise<void>;
}

export function createOfflineStore(store: KeyValueStore<OfflineMessage[]>): OfflineStore {
  const queue = new KeyedQueue();
  const read = async (username: string): Promise<OfflineMessage[]> => readOfflineQueue(await store.get(username));
  return {
    append: (username, message, max) => queue.run(username, async () => {
      const next = appendOfflineMessage(await read(username), message, max);
      if (next === undefined) return false;
      await store.set(username, next);
      return true;
    }),
    take: (username) => queue.run(username, async () => {
      const messages = await read(username);
      if (messages.length > 0) await store.delete(username);
      return messages;
    }),
    restore: (username, messages) => queue.run(username, async () => {
      if (messages.length === 0) return;
      await store.set(username, [...messages, ...(await read(username))]);
    }),
    remove: (username) => queue.run(username, () => store.delete(username)),
  };
}
