import { expect, test } from '@jest/globals';
import { storageReadiness } from '../../http/readiness.js';
import type { KeyValueStore, StorageDriver } from '../../server/storage/store.js';
import { MemoryArchiveStore } from '../../server/storage/memory-archive.js';

/** A driver whose writes behave as told. */
function driverWith(set: () => Promise<void>): StorageDriver & { writes: number } {
  const driver = {
    name: 'test',
    writes: 0,
    open<T>(): KeyValueStore<T> {
      return {
        get: () => Promise.resolve(undefined),
        set: () => {
          driver.writes++;
          return set();
        },
        delete: () => Promise.resolve(),
        keys: () => Promise.resolve([]),
      };
    },
    openArchive: () => new MemoryArchiveStore(),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return driver;
}

test('writable storage is ready, and the result is reused within the interval', async () => {
  const driver = driverWith(() => Promise.resolve());
  const ready = storageReadiness(driver, 'localhost', { intervalMs: 60_000 });
  expect(await ready()).toBeUndefined();
  expect(await ready()).toBeUndefined();
  expect(driver.writes).toBe(1);
});

test('a failing or hanging write is not ready, with the reason', async () => {
  const failing = storageReadiness(driverWith(() => Promise.reject(new Error('disk full'))), 'localhost');
  expect(await failing()).toBe('storage is not writable: disk full');
  const hanging = storageReadiness(driverWith(() => new Promise<void>(() => undefined)), 'localhost', { timeoutMs: 20 });
  expect(await hanging()).toBe('storage write timed out');
});
