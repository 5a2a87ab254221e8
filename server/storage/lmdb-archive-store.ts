/**
 * The embedded archive engine of the `internal` driver: one host's archives of one store
 * (`archive`, `muc_log`) in the data directory's LMDB environment (`lmdb-environment.ts`; key
 * layout in `lmdb-archive-keys.ts`). An append resolves once its transaction has committed, so an
 * acknowledged item survives `kill -9`; the disk sync follows, off the writer lock and waited for
 * by no append (see `lmdb-environment.ts`). Appends made in the same event-loop turn share one
 * transaction. Queries read one page synchronously (see
 * `lmdb-archive-query.ts`); large removals go a chunk at a time (`lmdb-archive-retention.ts`).
 */
import type { ArchivedItem, ArchivePage, ArchiveQuery, ArchiveQueryProblem, ArchiveStore } from './archive-store.js';
import { decodeItem, encodeItem } from './lmdb-archive-codec.js';
import { itemKey, withKeysOf, type ArchiveScope } from './lmdb-archive-keys.js';
import { queryArchive } from './lmdb-archive-query.js';
import { removeArchive, removeOlderThan } from './lmdb-archive-retention.js';
import type { LazyLmdbEnvironment } from './lmdb-environment.js';

export class LmdbArchiveStore implements ArchiveStore {
  readonly #environment: LazyLmdbEnvironment;
  readonly #scope: ArchiveScope;

  constructor(environment: LazyLmdbEnvironment, host: string, store: string) {
    this.#environment = environment;
    this.#scope = { host, store };
  }

  async append(archive: string, item: ArchivedItem): Promise<void> {
    const dbs = await this.#environment.open();
    // Issued in one turn: the item and its index entries commit in the same transaction.
    const writes = [dbs.items.put(itemKey(this.#scope, archive, item.id), encodeItem(item))];
    for (const key of withKeysOf(this.#scope, archive, item.with, item.id)) writes.push(dbs.byWith.put(key, item.with));
    // Each put resolves when its transaction has committed: kept if the process dies (see lmdb-environment.ts).
    await Promise.all(writes);
  }

  async query(archive: string, query: ArchiveQuery): Promise<ArchivePage | ArchiveQueryProblem> {
    return queryArchive(await this.#environment.open(), this.#scope, archive, query);
  }

  async get(archive: string, id: string): Promise<ArchivedItem | undefined> {
    const stored = (await this.#environment.open()).items.get(itemKey(this.#scope, archive, id));
    return stored === undefined ? undefined : decodeItem(id, stored);
  }

  async replace(archive: string, id: string, stanza: string): Promise<boolean> {
    const dbs = await this.#environment.open();
    const key = itemKey(this.#scope, archive, id);
    // Read and write in one write transaction: a concurrent delete cannot slip in between.
    const replaced = await dbs.items.transaction(() => {
      const stored = dbs.items.get(key);
      if (stored === undefined) return false;
      dbs.items.putSync(key, [stored[0], stored[1], stanza]);
      return true;
    });
    return replaced;
  }

  async deleteArchive(archive: string): Promise<void> {
    await removeArchive(await this.#environment.open(), this.#scope, archive);
  }

  async deleteOlderThan(when: number): Promise<number> {
    return removeOlderThan(await this.#environment.open(), this.#scope, when);
  }
}
