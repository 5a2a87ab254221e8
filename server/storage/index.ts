export type { KeyValueStore, StorageDriver } from './store.js';
export { createMemoryDriver } from './memory-driver.js';
export { createJsonFileDriver } from './json-file-driver.js';
export { createStorageDriver, STORAGE_DRIVER_NAMES } from './create-storage.js';
export type { StorageRouter, StorageDriverName } from './create-storage.js';
export { encodeName, decodeName } from './file-name.js';
export { KeyedQueue } from './keyed-queue.js';
export { GrowingLru } from './growing-lru.js';
