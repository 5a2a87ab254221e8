/**
 * The `memory` driver's archives: arrays in id order, scanned per query. For tests, fixtures and
 * deployments that want no history across restarts; the reference behaviour the other drivers'
 * contract tests compare against.
 */
import type { ArchivedItem, ArchivePage, ArchiveQuery, ArchiveQueryProblem, ArchiveStore } from './archive-store.js';

/** Whether an item's `with` matches a query's: equal, or the query's bare JID with a resource. */
export function matchesWith(itemWith: string, queryWith: string): boolean {
  return itemWith === queryWith || (!queryWith.includes('/') && itemWith.startsWith(queryWith + '/'));
}

function matches(item: ArchivedItem, query: ArchiveQuery, ids: ReadonlySet<string> | undefined): boolean {
  if (query.with !== undefined && !matchesWith(item.with, query.with)) return false;
  if (query.start !== undefined && item.when < query.start) return false;
  if (query.end !== undefined && item.when > query.end) return false;
  if (query.afterId !== undefined && item.id <= query.afterId) return false;
  if (query.beforeId !== undefined && item.id >= query.beforeId) return false;
  if (ids !== undefined && !ids.has(item.id)) return false;
  return true;
}

export class MemoryArchiveStore implements ArchiveStore {
  readonly #archives = new Map<string, ArchivedItem[]>();

  async append(archive: string, item: ArchivedItem): Promise<void> {
    let items = this.#archives.get(archive);
    if (items === undefined) {
      items = [];
      this.#archives.set(archive, items);
    }
    // Ids sort in time order; an item made earlier but appended later goes to its place.
    let at = items.length;
    while (at > 0 && items[at - 1]!.id > item.id) at--;
    items.splice(at, 0, { ...item });
  }

  async query(archive: string, query: ArchiveQuery): Promise<ArchivePage | ArchiveQueryProblem> {
    const items = this.#archives.get(archive) ?? [];
    if (query.afterId !== undefined && !items.some((i) => i.id === query.afterId)) return 'unknown-after-id';
    if (query.beforeId !== undefined && !items.some((i) => i.id === query.beforeId)) return 'unknown-before-id';
    const ids = query.ids === undefined ? undefined : new Set(query.ids);
    const matching = items.filter((item) => matches(item, query, ids));
    const limit = Math.max(0, query.limit);
    const page = query.fromEnd === true ? matching.slice(Math.max(0, matching.length - limit)) : matching.slice(0, limit);
    return { items: page.map((i) => ({ ...i })), complete: page.length === matching.length, count: matching.length };
  }

  async get(archive: string, id: string): Promise<ArchivedItem | undefined> {
    const found = this.#archives.get(archive)?.find((i) => i.id === id);
    return found === undefined ? undefined : { ...found };
  }

  async replace(archive: string, id: string, stanza: string): Promise<boolean> {
    const items = this.#archives.get(archive);
    const at = items?.findIndex((i) => i.id === id) ?? -1;
    if (items === undefined || at < 0) return false;
    items[at] = { ...items[at]!, stanza };
    return true;
  }

  async deleteArchive(archive: string): Promise<void> {
    this.#archives.delete(archive);
  }

  async deleteOlderThan(when: number): Promise<number> {
    let removed = 0;
    for (const [archive, items] of this.#archives) {
      const kept = items.filter((i) => i.when >= when);
      removed += items.length - kept.length;
      if (kept.length === 0) this.#archives.delete(archive);
      else this.#archives.set(archive, kept);
    }
    return removed;
  }
}
