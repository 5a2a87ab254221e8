/**
 * The PostgreSQL driver's archives: one row per item in `salon_archive`, keyed by host, store,
 * archive and id (schema-migrations.ts). Queries mean what the memory driver's do
 * (archive-query-sql.ts); every method resolves once PostgreSQL has committed. Appends are
 * committed in groups (append-batcher.ts).
 */
import type { ArchivedItem, ArchivePage, ArchiveQuery, ArchiveQueryProblem, ArchiveStore } from '../archive-store.js';
import { archiveQuerySql, COUNT_CAP, type ArchiveQueryRow } from './archive-query-sql.js';
import type { AppendBatcher } from './append-batcher.js';
import type { PostgresConnection } from './postgres-connection.js';

interface ItemRow {
  id: string;
  when: string;
  with: string;
  stanza: string;
}

function itemOf(row: ItemRow): ArchivedItem {
  return { id: row.id, when: Number(row.when), with: row.with, stanza: row.stanza };
}

export class PostgresArchiveStore implements ArchiveStore {
  readonly #db: PostgresConnection;
  readonly #appends: AppendBatcher;
  readonly #host: string;
  readonly #store: string;

  constructor(db: PostgresConnection, appends: AppendBatcher, host: string, store: string) {
    this.#db = db;
    this.#appends = appends;
    this.#host = host;
    this.#store = store;
  }

  async append(archive: string, item: ArchivedItem): Promise<void> {
    await this.#appends.append({ host: this.#host, store: this.#store, archive, id: item.id, when: item.when, with: item.with, stanza: item.stanza });
  }

  async query(archive: string, query: ArchiveQuery): Promise<ArchivePage | ArchiveQueryProblem> {
    const sql = archiveQuerySql(this.#host, this.#store, archive, query);
    const rows = await this.#db.query<ArchiveQueryRow>(sql.text, sql.values);
    const first = rows[0];
    if (first === undefined) throw new Error('archive query returned no row'); // the statement always returns one
    if (!first.after_known) return 'unknown-after-id';
    if (!first.before_known) return 'unknown-before-id';
    const found = rows.filter((row): row is ArchiveQueryRow & ItemRow => row.id !== null).map(itemOf);
    const limit = Math.max(0, query.limit);
    const page = found.slice(0, limit);
    if (query.fromEnd === true) page.reverse(); // read newest first; pages are always oldest first
    const total = Number(first.total);
    return { items: page, complete: found.length <= limit, ...(total <= COUNT_CAP ? { count: total } : {}) };
  }

  async get(archive: string, id: string): Promise<ArchivedItem | undefined> {
    const rows = await this.#db.query<ItemRow>(
      'SELECT id, "when", "with", stanza FROM salon_archive WHERE host = $1 AND store = $2 AND archive = $3 AND id = $4',
      [this.#host, this.#store, archive, id],
    );
    return rows[0] === undefined ? undefined : itemOf(rows[0]);
  }

  async replace(archive: string, id: string, stanza: string): Promise<boolean> {
    const changed = await this.#db.write(
      'UPDATE salon_archive SET stanza = $5 WHERE host = $1 AND store = $2 AND archive = $3 AND id = $4',
      [this.#host, this.#store, archive, id, stanza],
    );
    return changed > 0;
  }

  async deleteArchive(archive: string): Promise<void> {
    await this.#db.write('DELETE FROM salon_archive WHERE host = $1 AND store = $2 AND archive = $3', [this.#host, this.#store, archive]);
  }

  async deleteOlderThan(when: number): Promise<number> {
    return this.#db.write('DELETE FROM salon_archive WHERE host = $1 AND store = $2 AND "when" < $3', [this.#host, this.#store, when]);
  }
}
