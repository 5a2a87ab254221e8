/**
 * Group commit for archive appends: appends made while an INSERT is committing wait for it and
 * then go together in the next one, a single statement and a single WAL flush for all of them.
 * An append alone is inserted at once (no added latency); under load the batches grow by
 * themselves, up to `MAX_BATCH`. Each append's promise resolves only once its row is committed.
 * A batch that fails is retried item by item, so that one bad item (a duplicate id) fails alone.
 */
import { PostgresStorageError, type PostgresConnection } from './postgres-connection.js';

/** One row of `salon_archive`. */
export interface ArchiveRow {
  readonly host: string;
  readonly store: string;
  readonly archive: string;
  readonly id: string;
  readonly when: number;
  readonly with: string;
  readonly stanza: string;
}

interface PendingAppend {
  readonly row: ArchiveRow;
  resolve(): void;
  reject(error: unknown): void;
}

/** Most rows in one INSERT: keeps a statement's size and a failed batch's retries bounded. */
const MAX_BATCH = 500;
/** Most appends waiting for their turn; beyond it appends fail at once. */
const MAX_QUEUED = 20_000;

const INSERT_ROWS = `INSERT INTO salon_archive (host, store, archive, id, "when", "with", stanza)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])`;

function insertRows(db: PostgresConnection, rows: readonly ArchiveRow[]): Promise<number> {
  const column = <K extends keyof ArchiveRow>(key: K): Array<ArchiveRow[K]> => rows.map((row) => row[key]);
  return db.write(INSERT_ROWS, [
    column('host'), column('store'), column('archive'), column('id'), column('when'), column('with'), column('stanza'),
  ]);
}

export class AppendBatcher {
  readonly #db: PostgresConnection;
  #queue: PendingAppend[] = [];
  #draining: Promise<void> | undefined;

  constructor(db: PostgresConnection) {
    this.#db = db;
  }

  /** Inserts `row`; resolves once it is committed. */
  append(row: ArchiveRow): Promise<void> {
    if (this.#queue.length >= MAX_QUEUED) {
      return Promise.reject(new PostgresStorageError(`PostgreSQL storage: more than ${MAX_QUEUED} archive appends waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      this.#kick();
    });
  }

  /** Waits until every append made so far has settled. */
  async settled(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  #kick(): void {
    if (this.#draining !== undefined) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // An append made after the last batch was taken, before this ran, found a drain still
      // under way and did not start one.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  /** Commits the queue batch by batch; never rejects (each append's promise carries its outcome). */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        await insertRows(this.#db, batch.map((pending) => pending.row));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else await Promise.all(batch.map((pending) => insertRows(this.#db, [pending.row]).then(() => pending.resolve(), pending.reject)));
      }
    }
  }
}
