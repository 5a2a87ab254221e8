export type { KeyValueStore, StorageDriver } from './store.js';
export type { AppendLog } from './append-log.js';
export { openAppendLog } from './log-over-store.js';
export { createMemoryDriver } from './memory-driver.js';
export { createStorageDriver, STORAGE_DRIVER_NAMES } from './create-storage.js';
export type { StorageRouter, StorageDriverName } from './create-storage.js';
export { KeyedQueue } from './keyed-queue.js';
export { GrowingLru } from './growing-lru.js';
