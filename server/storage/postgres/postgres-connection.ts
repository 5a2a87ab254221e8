/**
 * The driver's one way to PostgreSQL: a bounded pool, opened lazily (the `pg` library is loaded
 * and the schema migrated at the first operation, so a server that never touches its archives
 * never connects, and start-up never waits for the database). Failures fail closed: every error
 * (database down, statement timeout, too many operations waiting) rejects the operation's
 * promise as a `PostgresStorageError`; none escapes as an uncaught event. Nothing is cached
 * across failures: the next operation opens a new connection, so service resumes by itself
 * when the database is back.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { migrateSchema } from './migrate-schema.js';
import { describeTarget, poolConfigOf, type SqlSettings } from './sql-settings.js';

/** Operations allowed to wait for a connection at once; beyond it they fail at once. */
const MAX_WAITING_OPERATIONS = 10_000;

/** A storage operation that PostgreSQL could not carry out. */
export class PostgresStorageError extends Error {
  override readonly name = 'PostgresStorageError';
}

export class PostgresConnection {
  readonly #settings: SqlSettings;
  #pool: Pool | undefined;
  #ready: Promise<Pool> | undefined;
  #operations = 0;
  readonly #writes = new Set<Promise<unknown>>();
  #closed = false;

  constructor(settings: SqlSettings) {
    this.#settings = settings;
  }

  /** Runs one statement. */
  async query<Row extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    return this.#bounded(async (pool) => (await pool.query<Row>(text, values as unknown[])).rows);
  }

  /** Runs one statement that changes data; `flush` waits for it. Resolves to the rows it touched. */
  async write(text: string, values: readonly unknown[] = []): Promise<number> {
    const done = this.#bounded(async (pool) => (await pool.query(text, values as unknown[])).rowCount ?? 0);
    this.#writes.add(done);
    try {
      return await done;
    } finally {
      this.#writes.delete(done);
    }
  }

  /** Waits for the writes in flight (each is durable once its promise resolves). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#writes]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    const pool = this.#pool;
    this.#pool = undefined;
    this.#ready = undefined;
    await pool?.end();
  }

  async #bounded<T>(operation: (pool: Pool) => Promise<T>): Promise<T> {
    if (this.#closed) throw new PostgresStorageError('PostgreSQL storage is closed');
    if (this.#operations >= MAX_WAITING_OPERATIONS) {
      throw new PostgresStorageError(`PostgreSQL storage: more than ${MAX_WAITING_OPERATIONS} operations waiting`);
    }
    this.#operations++;
    try {
      return await operation(await this.#open());
    } catch (error) {
      throw this.#wrap(error);
    } finally {
      this.#operations--;
    }
  }

  /** The pool, migrated; a failed first use is forgotten so that the next one tries again. */
  #open(): Promise<Pool> {
    this.#ready ??= this.#connect().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #connect(): Promise<Pool> {
    if (this.#pool === undefined) {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool(poolConfigOf(this.#settings));
      // An idle connection dropped by the server (restart, failover) is reported here; the pool
      // has already discarded it and the next operation opens a new one, so there is nothing to do.
      pool.on('error', () => undefined);
      this.#pool = pool;
    }
    const client: PoolClient = await this.#pool.connect();
    // A checked-out connection has no listener of the pool's: a drop between two statements of
    // the migration would otherwise be an uncaught 'error' event. The next statement fails anyway.
    const ignoreDrop = (): undefined => undefined;
    client.on('error', ignoreDrop);
    try {
      await migrateSchema(client);
      client.removeListener('error', ignoreDrop);
      client.release();
    } catch (error) {
      client.removeListener('error', ignoreDrop);
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    return this.#pool;
  }

  #wrap(error: unknown): PostgresStorageError {
    if (error instanceof PostgresStorageError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new PostgresStorageError(`PostgreSQL storage (${describeTarget(this.#settings)}): ${message}`, { cause: error });
  }
}
