/** The offline store over an append-only log: bounds, hand-over, putting back, older list values. */
import { describe, expect, test } from '@jest/globals';
import { createOfflineStore } from '../../roster/offline-store.js';
import type { OfflineMessage } from '../../roster/offline-queue.js';
import { createMemoryDriver } from '../../server/storage/index.js';

function message(n: number, size = 10): OfflineMessage {
  return { stanza: `<message id='${n}'><body>${'x'.repeat(size)}</body></message>`, stamp: `2024-05-01T10:00:0${n % 10}Z` };
}

function open(driver = createMemoryDriver()) {
  const storage = { log: driver.openLog!<unknown>('localhost', 'offline'), legacy: driver.open<unknown>('localhost', 'offline') };
  return { driver, storage, store: createOfflineStore(storage) };
}

const roomy = { maxMessages: 100, maxBytes: 1_000_000 };

describe('offline store', () => {
  test('appends go to the log, one record each; take empties it', async () => {
    const { store, storage } = open();
    expect(await store.append('bob', message(1), roomy)).toBe(true);
    expect(await store.append('bob', message(2), roomy)).toBe(true);
    expect(await storage.log.read('bob')).toEqual([message(1), message(2)]);
    expect(await storage.legacy.get('bob')).toBeUndefined();
    expect(await store.take('bob')).toEqual([message(1), message(2)]);
    expect(await storage.log.read('bob')).toEqual([]);
    expect(await store.take('bob')).toEqual([]);
  });

  test('the byte bound counts what is already kept, also after a restart (a new store on the same data)', async () => {
    const size = Buffer.byteLength(message(1, 100).stanza);
    const limits = { maxMessages: 100, maxBytes: size * 2 };
    const first = open();
    expect(await first.store.append('bob', message(1, 100), limits)).toBe(true);
    const second = open(first.driver);
    expect(await second.store.append('bob', message(2, 100), limits)).toBe(true);
    expect(await second.store.append('bob', message(3, 100), limits)).toBe(false);
    expect(await second.store.append('carol', message(3, 100), limits)).toBe(true);
    expect((await second.store.take('bob')).length).toBe(2);
    expect(await second.store.append('bob', message(3, 100), limits)).toBe(true);
  });

  test('messages put back come first, before those that arrived meanwhile', async () => {
    const { store } = open();
    await store.append('bob', message(1), roomy);
    const taken = await store.take('bob');
    await store.append('bob', message(2), roomy);
    await store.restore('bob', taken);
    expect(await store.take('bob')).toEqual([message(1), message(2)]);
  });

  test('a queue kept as one list value by an earlier version is read first, then removed', async () => {
    const { store, storage } = open();
    await storage.legacy.set('bob', [message(1), message(2)]);
    const limits = { maxMessages: 3, maxBytes: 1_000_000 };
    expect(await store.append('bob', message(3), limits)).toBe(true);
    expect(await store.append('bob', message(4), limits)).toBe(false); // the older two count
    expect(await store.take('bob')).toEqual([message(1), message(2), message(3)]);
    expect(await storage.legacy.get('bob')).toBeUndefined();
    await storage.legacy.set('carol', [message(5)]);
    await store.remove('carol');
    expect([await storage.legacy.get('carol'), await store.take('carol')]).toEqual([undefined, []]);
  });
});
