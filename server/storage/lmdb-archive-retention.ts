/**
 * Removing many items from the LMDB archive environment (an archive deleted, retention by
 * `archive_expires_after`) without holding the event loop: keys are read a chunk at a time
 * (one bounded synchronous read), removed in one write transaction, and the next chunk waits for
 * that commit, so appends and queries run between chunks.
 */
import { archiveIdFloor } from './archive-id.js';
import { decodeItem } from './lmdb-archive-codec.js';
import type { ArchiveDatabases } from './lmdb-environment.js';
import { AFTER_ALL_IDS, itemKey, withKeysOf, type ArchiveScope, type ItemKey } from './lmdb-archive-keys.js';
import { ID_CLOCK_SLACK_MS } from './lmdb-archive-query.js';

/** Items removed per write transaction. */
const CHUNK = 500;

/** Removes the items at `entries` (with their `with` entries) in one transaction; waits for it to be durable. */
async function removeItems(dbs: ArchiveDatabases, scope: ArchiveScope, entries: ReadonlyArray<{ key: ItemKey; withJid: string }>): Promise<void> {
  if (entries.length === 0) return;
  // Issued in one turn: one transaction.
  const removals: Array<Promise<boolean>> = [];
  for (const { key, withJid } of entries) {
    removals.push(dbs.items.remove(key));
    for (const withKey of withKeysOf(scope, key[2], withJid, key[3])) removals.push(dbs.byWith.remove(withKey));
  }
  await Promise.all(removals);
  await dbs.durable();
}

/** Removes every item of `archive`, a chunk at a time. */
export async function removeArchive(dbs: ArchiveDatabases, scope: ArchiveScope, archive: string): Promise<void> {
  for (;;) {
    const chunk = [...dbs.items.getRange({ start: itemKey(scope, archive, ''), end: itemKey(scope, archive, AFTER_ALL_IDS), limit: CHUNK })]
      .map(({ key, value }) => ({ key, withJid: value[1] }));
    await removeItems(dbs, scope, chunk);
    if (chunk.length < CHUNK) return;
  }
}

/** The first archive of the scope after `previous` (or the first of all), undefined past the last. */
function nextArchive(dbs: ArchiveDatabases, scope: ArchiveScope, previous: string | undefined): string | undefined {
  const start = previous === undefined ? itemKey(scope, '', '') : itemKey(scope, previous, AFTER_ALL_IDS);
  for (const key of dbs.items.getKeys({ start, end: [scope.host, scope.store, AFTER_ALL_IDS, ''], limit: 1 })) return key[2];
  return undefined;
}

/**
 * Removes every item of the scope whose `when` is before `cutoff`, archive by archive; each
 * archive's old items are at its start, up to the id time `cutoff` (plus the clock slack).
 * Resolves to how many were removed.
 */
export async function removeOlderThan(dbs: ArchiveDatabases, scope: ArchiveScope, cutoff: number): Promise<number> {
  let removed = 0;
  const idEnd = archiveIdFloor(cutoff + ID_CLOCK_SLACK_MS);
  for (let archive = nextArchive(dbs, scope, undefined); archive !== undefined; archive = nextArchive(dbs, scope, archive)) {
    let from = '';
    for (;;) {
      const range = dbs.items.getRange({ start: itemKey(scope, archive, from), exclusiveStart: from !== '', end: itemKey(scope, archive, idEnd), limit: CHUNK });
      const seen = [...range];
      const old = seen.filter(({ key, value }) => decodeItem(key[3], value).when < cutoff).map(({ key, value }) => ({ key, withJid: value[1] }));
      await removeItems(dbs, scope, old);
      removed += old.length;
      if (seen.length < CHUNK) break;
      from = seen.at(-1)!.key[3];
    }
  }
  return removed;
}
