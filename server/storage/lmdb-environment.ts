/**
 * The one module that loads lmdb (LMDB through lmdb-js; its prebuilt binaries install from the npm
 * registry with no compiling). One environment per data directory holds every host's and store's
 * archives. It is opened on first use, so that a server whose archives are never touched starts
 * without loading the engine. LMDB allows several processes on one environment at once, so
 * `salon` commands may open it beside a running server.
 *
 * Reads are synchronous and served from the memory map (microseconds per page); writes are queued
 * to lmdb-js's writer thread, and every write made in one event-loop turn commits in one
 * transaction.
 *
 * A write counts as kept once committed: a committed transaction is in the operating system's
 * page cache, and after a crash of the process (`kill -9`) in the same boot LMDB opens at the
 * latest commit. How commits reach the disk is the `archive_sync` option (`ArchiveSyncMode`):
 *
 * - `ordered` (the default): lmdb-js's `overlappingSync`. Each commit is synced after it is
 *   visible, outside the writer lock, and the next commit waits for that sync. A power loss costs
 *   at most the last commit and never damages the file; an archived message waits about one disk
 *   sync (7–15 ms here), shared by every message of its commit.
 * - `background`: `noSync`, with a sync on a pool thread at most every 50 ms
 *   (`lmdb-background-sync.ts`): no commit waits for a sync (about twice the throughput of 1:1
 *   messages on this machine). A power loss costs the commits since the last sync and, LMDB warns
 *   of `noSync`, can damage the file if the disk kept a commit's meta page without its data pages.
 *
 * `durable()` waits for a sync in both modes (retention, close).
 */
import type { Database, RootDatabase } from 'lmdb';
import { chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirectory } from './durable-file.js';
import { BackgroundSync } from './lmdb-background-sync.js';
import type { ItemKey, WithKey } from './lmdb-archive-keys.js';
import type { StoredItem } from './lmdb-archive-codec.js';

/** The two databases of the archive environment. */
export interface ArchiveDatabases {
  /** Items by (host, store, archive, id). */
  readonly items: Database<StoredItem, ItemKey>;
  /** The `with` index by (host, store, archive, with, id), valued with the item's full `with`. */
  readonly byWith: Database<string, WithKey>;
  /** Resolves once every write made so far is committed and synced to disk. */
  durable(): Promise<void>;
}

/** lmdb-js's `sync(callback)`: a forced sync on a thread of the pool (missing from its type declarations). */
interface SyncableRoot {
  sync(done: (error?: unknown) => void): void;
}

/** How archive commits reach the disk (see the file comment). */
export type ArchiveSyncMode = 'ordered' | 'background';

/** An LMDB environment at `path`, opened on the first `open()`. */
export class LazyLmdbEnvironment {
  readonly #path: string;
  readonly #sync: ArchiveSyncMode;
  #opening: Promise<{ root: RootDatabase; databases: ArchiveDatabases; syncs: BackgroundSync }> | undefined;
  /** The databases once opened: appends on the hot path take them without a turn of the microtask queue. */
  #opened: ArchiveDatabases | undefined;
  #closed = false;

  constructor(path: string, sync: ArchiveSyncMode = 'ordered') {
    this.#path = path;
    this.#sync = sync;
  }

  /** The environment's databases, opening it the first time. */
  async open(): Promise<ArchiveDatabases> {
    if (this.#closed) throw new Error(`archive storage ${this.#path} is closed`);
    this.#opening ??= this.#openNow();
    return (await this.#opening).databases;
  }

  /** The databases if the environment is open, else undefined (then `open()` opens it). */
  get opened(): ArchiveDatabases | undefined {
    return this.#opened;
  }

  async #openNow(): Promise<{ root: RootDatabase; databases: ArchiveDatabases; syncs: BackgroundSync }> {
    await ensureDirectory(dirname(this.#path));
    const { open } = await import('lmdb');
    // A file, not a directory (`noSubdir`): `<path>` and `<path>-lock`.
    // `ordered`: lmdb-js syncs each commit itself (`overlappingSync`); `background`: commits do not
    // sync (`noSync`) and `syncs` does, beside them (see the file comment).
    const background = this.#sync === 'background';
    const root = open({ path: this.#path, noSubdir: true, maxDbs: 4, ...(background ? { noSync: true, overlappingSync: false } : { overlappingSync: true }) });
    const syncs = new BackgroundSync(
      (done) => (root as unknown as SyncableRoot).sync(done),
      // Nobody waits for this sync; the next commit's sync tries again.
      (error) => process.emitWarning(`archive storage ${this.#path}: disk sync failed: ${String(error)}`),
    );
    if (background) root.on('aftercommit', () => syncs.request());
    // Archives hold private messages: readable by the server's user alone, like the JSON files.
    await Promise.all([chmod(this.#path, 0o600), chmod(`${this.#path}-lock`, 0o600)]);
    const databases: ArchiveDatabases = {
      items: root.openDB<StoredItem, ItemKey>({ name: 'items' }),
      byWith: root.openDB<string, WithKey>({ name: 'with', encoding: 'string' }),
      durable: () => syncs.durable(),
    };
    if (!this.#closed) this.#opened = databases;
    return { root, databases, syncs };
  }

  /** Waits for queued writes, then closes the environment; later uses fail. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#opened = undefined;
    const opening = this.#opening;
    this.#opening = undefined;
    // An environment that failed to open has nothing to close (its users got the error).
    const opened = await opening?.catch(() => undefined);
    if (opened === undefined) return;
    await opened.root.committed;
    await opened.syncs.stop();
    await opened.root.close();
  }
}
