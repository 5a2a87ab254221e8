/**
 * The `internal` storage driver: JSON files under the data directory, the embedded persistent
 * default (DESIGN.md §3, §8) with no native code. Layout:
 * `<dataPath>/<encoded host>/<encoded store>/<encoded key>.json`.
 * Writes are atomic and durable (temporary file, fsync, rename, fsync of the directory) and
 * queued per key; all I/O is asynchronous. What files hold is kept in memory while their store
 * directory is watched for changes by any process (`read-cache.ts`, `directory-watch.ts`).
 * Archives live beside them in one LMDB environment, `<dataPath>/_archives.mdb`
 * (`lmdb-archive-store.ts`), opened on first use.
 */
import type { ArchiveStore } from './archive-store.js';
import { LazyLmdbEnvironment, type ArchiveSyncMode } from './lmdb-environment.js';
import { LmdbArchiveStore } from './lmdb-archive-store.js';
import { randomBytes } from 'node:crypto';
import { join, resolve, sep } from 'node:path';
import type { KeyValueStore, StorageDriver } from './store.js';
import { encodeName } from './file-name.js';
import { JsonFileStore, type JsonFileContext } from './json-file-store.js';
import { JsonLineLog } from './json-line-log.js';
import type { AppendLog } from './append-log.js';
import { KeyedQueue } from './keyed-queue.js';
import { DirectoryWatch } from './directory-watch.js';
import { ReadCache } from './read-cache.js';

/** The archive environment's file; host directories are DNS names, which never start with `_`. */
const ARCHIVE_FILE = '_archives.mdb';

function directoryName(kind: 'host' | 'store', name: string): string {
  // An empty name would collapse a level of the layout; callers always name their store.
  if (name === '') throw new TypeError(`storage ${kind} name must not be empty`);
  return encodeName(name);
}

/** Creates a json-file driver rooted at `dataPath`; directories are created on first write. */
export function createJsonFileDriver(dataPath: string, archiveSync: ArchiveSyncMode = 'ordered'): StorageDriver {
  const root = resolve(dataPath);
  const queue = new KeyedQueue();
  // Distinguishes this instance's temporary files from another process's sharing the directory.
  const instance = randomBytes(6).toString('hex');
  let counter = 0;
  let closed = false;
  const cache = new ReadCache();
  // Bounded by the hosts and stores the server opens, not by user input.
  const watches = new Map<string, DirectoryWatch>();
  const listeners = new Map<string, Set<(fileName: string | undefined) => void>>();
  const tell = (directory: string, fileName: string | undefined): void => {
    for (const listener of listeners.get(directory) ?? []) listener(fileName);
  };
  const listen = (directory: string, listener: (fileName: string | undefined) => void): (() => void) => {
    const set = listeners.get(directory) ?? new Set();
    listeners.set(directory, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  const watchFor = (directory: string): DirectoryWatch => {
    let watch = watches.get(directory);
    if (watch === undefined) {
      const prefix = directory + sep;
      // The cache forgets first: a listener that reads sees the new content.
      watch = new DirectoryWatch(directory, root, {
        fileChanged: (name) => {
          cache.forget(join(directory, name));
          tell(directory, name);
        },
        everythingChanged: () => {
          cache.forgetUnder(prefix);
          tell(directory, undefined);
        },
      });
      watches.set(directory, watch);
    }
    return watch;
  };
  const archiveEnvironment = new LazyLmdbEnvironment(join(root, ARCHIVE_FILE), archiveSync);
  const archives = new Map<string, LmdbArchiveStore>();
  const context: JsonFileContext = {
    queue,
    cache,
    watchFor,
    listen,
    temporarySuffix: () => `.${instance}-${(counter++).toString(36)}.tmp`,
    assertOpen: () => {
      if (closed) throw new Error(`storage driver for ${root} is closed`);
    },
  };
  return {
    name: 'internal',
    open<T>(host: string, store: string): KeyValueStore<T> {
      return new JsonFileStore<T>(join(root, directoryName('host', host), directoryName('store', store)), context);
    },
    openLog<T>(host: string, store: string): AppendLog<T> {
      // Beside the store's `.json` files, which key-value reads and listings ignore.
      return new JsonLineLog<T>(join(root, directoryName('host', host), directoryName('store', store)), context);
    },
    openArchive(host: string, store: string): ArchiveStore {
      const id = `${host}\0${store}`;
      let archive = archives.get(id);
      if (archive === undefined) {
        archive = new LmdbArchiveStore(archiveEnvironment, host, store);
        archives.set(id, archive);
      }
      return archive;
    },
    flush: () => queue.drain(),
    async close(): Promise<void> {
      closed = true;
      await queue.drain();
      await archiveEnvironment.close();
      for (const watch of watches.values()) watch.close();
      listeners.clear();
      cache.clear();
    },
  };
}
