/**
 * Answers one `ArchiveQuery` from the LMDB archive environment. It reads one key range: the
 * archive's items, or the `with` index under the queried JID, between the tightest id bounds the
 * query gives (after/before ids, and start/end turned into id prefixes), from the end the query
 * asks for, and stops after one item more than the page (to know whether the page is complete).
 * Reads are synchronous (memory-mapped) and bounded by that page, so one query holds the event
 * loop for tens of microseconds, not for the size of the archive.
 */
import { archiveIdFloor } from './archive-id.js';
import type { ArchivedItem, ArchivePage, ArchiveQuery, ArchiveQueryProblem } from './archive-store.js';
import { decodeItem } from './lmdb-archive-codec.js';
import type { ArchiveDatabases } from './lmdb-environment.js';
import { AFTER_ALL_IDS, itemKey, withIndexKey, type ArchiveScope } from './lmdb-archive-keys.js';
import { matchesWith } from './memory-archive.js';

/**
 * Ids are made when the item is archived, so an id's time is never before the item's `when`; it
 * is after it only when the clock stepped back or ids were borrowed from the next millisecond.
 * Time bounds become id bounds widened by this much, and `when` itself is compared exactly.
 */
export const ID_CLOCK_SLACK_MS = 60_000;

interface Bound { readonly id: string; readonly inclusive: boolean }

/**
 * The id range a query allows, tightest of its after/before ids and start/end times (the end
 * widened by `ID_CLOCK_SLACK_MS`); undefined when it is empty.
 */
function idRange(query: ArchiveQuery): { low: Bound; high: Bound } | undefined {
  let low: Bound = { id: '', inclusive: true };
  let high: Bound = { id: AFTER_ALL_IDS, inclusive: false };
  if (query.start !== undefined) low = { id: archiveIdFloor(query.start), inclusive: true };
  if (query.afterId !== undefined && query.afterId >= low.id) low = { id: query.afterId, inclusive: false };
  if (query.end !== undefined) high = { id: archiveIdFloor(query.end + 1 + ID_CLOCK_SLACK_MS), inclusive: false };
  if (query.beforeId !== undefined && query.beforeId <= high.id) high = { id: query.beforeId, inclusive: false };
  if (low.id > high.id || (low.id === high.id && !(low.inclusive && high.inclusive))) return undefined;
  return { low, high };
}

/** lmdb-js range options over the items or the `with` index for an id range. */
function rangeOptions<K>(key: (id: string) => K, range: { low: Bound; high: Bound }, reverse: boolean) {
  const [from, to] = reverse ? [range.high, range.low] : [range.low, range.high];
  return { reverse, start: key(from.id), end: key(to.id), exclusiveStart: !from.inclusive, inclusiveEnd: to.inclusive };
}

function withinTimes(item: ArchivedItem, query: ArchiveQuery): boolean {
  return (query.start === undefined || item.when >= query.start) && (query.end === undefined || item.when <= query.end);
}

type Reader = (id: string) => ArchivedItem | undefined;

/** Walks one id range in the query's direction, yielding the items that match. */
function* matchingItems(dbs: ArchiveDatabases, scope: ArchiveScope, archive: string, query: ArchiveQuery, read: Reader): Generator<ArchivedItem> {
  const range = idRange(query);
  if (range === undefined) return;
  const reverse = query.fromEnd === true;
  const queryWith = query.with;
  if (queryWith === undefined) {
    for (const { key, value } of dbs.items.getRange(rangeOptions((id) => itemKey(scope, archive, id), range, reverse))) {
      const item = decodeItem(key[3], value);
      if (withinTimes(item, query)) yield item;
    }
    return;
  }
  let previous = '';
  for (const { key, value } of dbs.byWith.getRange(rangeOptions((id) => withIndexKey(scope, archive, queryWith, id), range, reverse))) {
    const id = key[4];
    // A `with` too long for a key shares its entry's key with others: the value decides.
    if (id === previous || !matchesWith(value, queryWith)) continue;
    previous = id;
    const item = read(id);
    if (item !== undefined && withinTimes(item, query)) yield item;
  }
}

/** The page for `query` (items picked by `ids`, or one range read). */
export function queryArchive(dbs: ArchiveDatabases, scope: ArchiveScope, archive: string, query: ArchiveQuery): ArchivePage | ArchiveQueryProblem {
  const read: Reader = (id) => {
    const stored = dbs.items.get(itemKey(scope, archive, id));
    return stored === undefined ? undefined : decodeItem(id, stored);
  };
  if (query.afterId !== undefined && !dbs.items.doesExist(itemKey(scope, archive, query.afterId))) return 'unknown-after-id';
  if (query.beforeId !== undefined && !dbs.items.doesExist(itemKey(scope, archive, query.beforeId))) return 'unknown-before-id';
  const limit = Math.max(0, Math.floor(query.limit));
  if (query.ids !== undefined) return pickIds(query, limit, read);
  const page: ArchivedItem[] = [];
  let complete = true;
  for (const item of matchingItems(dbs, scope, archive, query, read)) {
    if (page.length === limit) {
      complete = false;
      break;
    }
    page.push(item);
  }
  if (query.fromEnd === true) page.reverse();
  // `count` only when it is free: a complete page holds every match (after/before included).
  // Counting more means walking the whole range (LMDB counts ~100 ns a key: 1 ms for 10,000
  // items, 100 ms for a room of a million), on the event loop; RSM lets the count be left out.
  return complete ? { items: page, complete, count: page.length } : { items: page, complete };
}

/** MAM #extended `ids`: those items, in id order, within the query's other bounds. */
function pickIds(query: ArchiveQuery, limit: number, read: Reader): ArchivePage {
  const matching: ArchivedItem[] = [];
  for (const id of [...new Set(query.ids)].sort()) {
    if ((query.afterId !== undefined && id <= query.afterId) || (query.beforeId !== undefined && id >= query.beforeId)) continue;
    const item = read(id);
    if (item === undefined || !withinTimes(item, query)) continue;
    if (query.with !== undefined && !matchesWith(item.with, query.with)) continue;
    matching.push(item);
  }
  const page = query.fromEnd === true ? matching.slice(Math.max(0, matching.length - limit)) : matching.slice(0, limit);
  return { items: page, complete: page.length === matching.length, count: matching.length };
}
