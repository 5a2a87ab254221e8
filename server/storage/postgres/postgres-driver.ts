/**
 * The `postgres` storage driver (Prosody's `sql` with `driver = "PostgreSQL"`): archives and
 * key-value stores in one PostgreSQL database, for deployments whose archives outgrow a single
 * machine's files or that already run PostgreSQL. Creating the driver does no I/O; the first
 * operation connects and migrates (postgres-connection.ts). Logs use the key-value stores
 * (`openAppendLog`, chosen by the storage router).
 */
import type { ArchiveStore } from '../archive-store.js';
import type { KeyValueStore, StorageDriver } from '../store.js';
import { AppendBatcher } from './append-batcher.js';
import { PostgresArchiveStore } from './postgres-archive.js';
import { PostgresConnection } from './postgres-connection.js';
import { PostgresKeyValueStore } from './postgres-key-value.js';
import type { SqlSettings } from './sql-settings.js';

export function createPostgresDriver(settings: SqlSettings): StorageDriver {
  const db = new PostgresConnection(settings);
  const appends = new AppendBatcher(db);
  return {
    name: 'postgres',
    open: <T>(host: string, store: string): KeyValueStore<T> => new PostgresKeyValueStore<T>(db, host, store),
    openArchive: (host: string, store: string): ArchiveStore => new PostgresArchiveStore(db, appends, host, store),
    flush: async () => {
      await appends.settled();
      await db.flush();
    },
    close: async () => {
      await appends.settled();
      await db.close();
    },
  };
}
