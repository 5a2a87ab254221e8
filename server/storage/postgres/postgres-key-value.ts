/**
 * The PostgreSQL driver's key-value stores (accounts, rosters, rooms, offline messages through
 * `openAppendLog`, …): one jsonb row per key in `salon_kv`. A resolved `set` is committed.
 */
import type { KeyValueStore } from '../store.js';
import type { PostgresConnection } from './postgres-connection.js';

export class PostgresKeyValueStore<T> implements KeyValueStore<T> {
  readonly #db: PostgresConnection;
  readonly #host: string;
  readonly #store: string;

  constructor(db: PostgresConnection, host: string, store: string) {
    this.#db = db;
    this.#host = host;
    this.#store = store;
  }

  async get(key: string): Promise<T | undefined> {
    const rows = await this.#db.query<{ value: T }>(
      'SELECT value FROM salon_kv WHERE host = $1 AND store = $2 AND key = $3',
      [this.#host, this.#store, key],
    );
    return rows[0]?.value;
  }

  async set(key: string, value: T): Promise<void> {
    // Serialised here, as the file driver does: what is stored is the value's JSON form.
    await this.#db.write(
      `INSERT INTO salon_kv (host, store, key, value) VALUES ($1, $2, $3, $4::jsonb)
        ON CONFLICT (host, store, key) DO UPDATE SET value = EXCLUDED.value`,
      [this.#host, this.#store, key, JSON.stringify(value)],
    );
  }

  async delete(key: string): Promise<void> {
    await this.#db.write('DELETE FROM salon_kv WHERE host = $1 AND store = $2 AND key = $3', [this.#host, this.#store, key]);
  }

  async keys(): Promise<string[]> {
    const rows = await this.#db.query<{ key: string }>(
      'SELECT key FROM salon_kv WHERE host = $1 AND store = $2 ORDER BY key',
      [this.#host, this.#store],
    );
    return rows.map((row) => row.key);
  }
}
