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

function settled(): void {}

export class LmdbArchiveStore implements ArchiveStore {
  readonly #environment: LazyLmdbEnvironment;
  readonly #scope: ArchiveScope;

  constructor(environment: LazyLmdbEnvironment, host: string, store: string) {
    this.#environment = environment;
    this.#scope = { host, store };
  }

  append(archive: string, item: ArchivedItem): Promise<void> {
    // The hot path: once open, the writes are issued in the caller's turn (no await before them),
    // so they join the transaction of the other appends of that turn.
    const dbs = this.#environment.opened;
    if (dbs === undefined) return this.#environment.open().then(() => this.append(archive, item));
    try {
      // Issued in one turn: the item and its index entries commit in the same transaction.
      const first = dbs.items.put(itemKey(this.#scope, archive, item.id), encodeItem(item));
      let others: Array<Promise<boolean>> | undefined;
      for (const key of withKeysOf(this.#scope, archive, item.with, item.id)) {
        const write = dbs.byWith.put(key, item.with);
        // lmdb-js answers every unconditional write of one transaction with that transaction's
        // one promise: wait for each distinct promise once (usually just the first).
        if (write !== first) (others ??= []).push(write);
      }
      // Each put resolves when its transaction has committed: kept if the process dies (see lmdb-environment.ts).
      return (others === undefined ? first : Promise.all([first, ...others])).then(settled);
    } catch (error) {
      // A key lmdb-js refuses (too long) throws at once: the caller gets a rejection, as from a failed commit.
      return Promise.reject(error);
    }
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
