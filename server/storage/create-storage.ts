/**
 * Chooses a driver per store from Prosody's `storage` option: one driver name for every store
 * (`storage = "memory"`) or a map store → driver (`storage = { roster = "memory" }`); stores
 * missing from the map use `internal`. `postgres` (Prosody's `sql`, whose `sql` option must say
 * `driver = "PostgreSQL"`) needs the `sql` option's connection settings.
 */
import { err, ok, type Result } from '../errors/index.js';
import type { KeyValueStore, StorageDriver } from './store.js';
import type { AppendLog } from './append-log.js';
import type { ArchiveStore } from './archive-store.js';
import { openAppendLog } from './log-over-store.js';
import type { ArchiveSyncMode } from './lmdb-environment.js';
import { createJsonFileDriver } from './json-file-driver.js';
import { createMemoryDriver } from './memory-driver.js';
import { createPostgresDriver } from './postgres/postgres-driver.js';
import type { SqlSettings } from './postgres/sql-settings.js';

/** Driver names accepted in the `storage` option. */
export const STORAGE_DRIVER_NAMES = ['internal', 'memory', 'postgres', 'sql'] as const;
export type StorageDriverName = (typeof STORAGE_DRIVER_NAMES)[number];

const DEFAULT_DRIVER: StorageDriverName = 'internal';

/** A driver that routes each store to the driver configured for it. */
export interface StorageRouter extends StorageDriver {
  /** The driver name chosen for `store`. */
  driverFor(store: string): StorageDriverName;
}

function checkName(name: string, scope: string): Result<StorageDriverName, string> {
  // Prosody's "sql" is PostgreSQL here: the `sql` option's schema accepts no other driver.
  if (name === 'sql') return ok('postgres');
  if ((STORAGE_DRIVER_NAMES as readonly string[]).includes(name)) return ok(name as StorageDriverName);
  return err(`unknown storage driver "${name}" for ${scope} (known: ${STORAGE_DRIVER_NAMES.join(', ')})`);
}

/** Settings of the embedded drivers (`archive_sync`). */
export interface StorageTuning {
  readonly archiveSync?: ArchiveSyncMode;
}

function instantiate(name: StorageDriverName, dataPath: string, sql: SqlSettings | undefined, tuning: StorageTuning): StorageDriver {
  if (name === 'postgres' && sql !== undefined) return createPostgresDriver(sql);
  return name === 'memory' ? createMemoryDriver() : createJsonFileDriver(dataPath, tuning.archiveSync);
}

/**
 * Builds the storage router for a `storage` setting; an error names the unknown driver.
 * Only the drivers the setting uses are created (none does I/O before its first write).
 * `sql` is the `sql` option, required when a store uses `postgres`.
 */
export function createStorageDriver(
  setting: string | Readonly<Record<string, string>> | undefined,
  dataPath: string,
  sql?: SqlSettings,
  tuning: StorageTuning = {},
): Result<StorageRouter, string> {
  const fallback = checkName(typeof setting === 'string' ? setting : DEFAULT_DRIVER, 'every store');
  if (!fallback.ok) return fallback;
  const defaultName = fallback.value;
  const perStore = new Map<string, StorageDriverName>();
  for (const [store, name] of Object.entries(typeof setting === 'object' ? setting : {})) {
    const checked = checkName(name, `store "${store}"`);
    if (!checked.ok) return checked;
    perStore.set(store, checked.value);
  }
  const postgresScope = defaultName === 'postgres'
    ? 'every store'
    : [...perStore].filter(([, name]) => name === 'postgres').map(([store]) => `store "${store}"`)[0];
  if (postgresScope !== undefined && sql === undefined) {
    return err(`storage driver "postgres" for ${postgresScope} needs the "sql" option (sql = { driver = "PostgreSQL", database = …, username = …, password = …, host = … })`);
  }
  const drivers = new Map<StorageDriverName, StorageDriver>();
  for (const name of new Set([defaultName, ...perStore.values()])) drivers.set(name, instantiate(name, dataPath, sql, tuning));

  const driverFor = (store: string): StorageDriverName => perStore.get(store) ?? defaultName;
  const pick = (store: string): StorageDriver => {
    const driver = drivers.get(driverFor(store));
    if (driver === undefined) throw new Error(`no storage driver for store ${store}`); // unreachable
    return driver;
  };
  return ok({
    name: [...drivers.keys()].join('+'),
    driverFor,
    open: <T>(host: string, store: string): KeyValueStore<T> => pick(store).open<T>(host, store),
    openLog: <T>(host: string, store: string): AppendLog<T> => openAppendLog<T>(pick(store), host, store),
    openArchive: (host: string, store: string): ArchiveStore => pick(store).openArchive(host, store),
    flush: async () => {
      await Promise.all([...drivers.values()].map((driver) => driver.flush()));
    },
    close: async () => {
      await Promise.all([...drivers.values()].map((driver) => driver.close()));
    },
  });
}
