/**
 * The `memory` storage driver: for tests, fixtures and stores that need not survive a restart.
 * Values are deep-copied on the way in and out, so a caller mutating an object it stored or read
 * never changes what is stored.
 */
import type { KeyValueStore, StorageDriver } from './store.js';
import type { AppendLog } from './append-log.js';
import { MemoryLog } from './memory-log.js';
import type { ArchiveStore } from './archive-store.js';
import { MemoryArchiveStore } from './memory-archive.js';

class MemoryStore<T> implements KeyValueStore<T> {
  readonly #values: Map<string, T>;

  constructor(values: Map<string, T>) {
    this.#values = values;
  }

  async get(key: string): Promise<T | undefined> {
    const value = this.#values.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  async set(key: string, value: T): Promise<void> {
    this.#values.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.#values.keys()];
  }

  knownAbsent(key: string): boolean {
    return !this.#values.has(key);
  }
}

/** Creates an in-memory driver; every `open` of the same host and store sees the same data. */
export function createMemoryDriver(): StorageDriver {
  // Keyed by host and store; the NUL separator cannot occur in a host name.
  const stores = new Map<string, Map<string, unknown>>();
  const logs = new Map<string, Map<string, unknown[]>>();
  const archives = new Map<string, MemoryArchiveStore>();
  return {
    name: 'memory',
    open<T>(host: string, store: string): KeyValueStore<T> {
      const id = `${host}\0${store}`;
      let values = stores.get(id);
      if (values === undefined) {
        values = new Map();
        stores.set(id, values);
      }
      // The map holds only values set through a store opened with the caller's T.
      return new MemoryStore<T>(values as Map<string, T>);
    },
    openLog<T>(host: string, store: string): AppendLog<T> {
      const id = `${host}\0${store}`;
      let records = logs.get(id);
      if (records === undefined) {
        records = new Map();
        logs.set(id, records);
      }
      // As above: only a log opened with the caller's T appended these records.
      return new MemoryLog<T>(records as Map<string, T[]>);
    },
    openArchive(host: string, store: string): ArchiveStore {
      const id = `${host}\0${store}`;
      let archive = archives.get(id);
      if (archive === undefined) {
        archive = new MemoryArchiveStore();
        archives.set(id, archive);
      }
      return archive;
    },
    async flush(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
