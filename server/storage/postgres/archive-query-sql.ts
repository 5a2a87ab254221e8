/**
 * One MAM query (ArchiveQuery) as one SQL statement, with the same meaning as the memory
 * driver's scan (memory-archive.ts, the reference): the page, whether the `afterId` and
 * `beforeId` positions exist in the archive, and how many items match in all, read in one
 * snapshot. The page comes off the (archive, id) or (archive, bare with, id) index in id order
 * and stops after `limit + 1` rows; the extra row only says whether the page is complete. The
 * count is exact up to `COUNT_CAP` and left out beyond it (RSM makes it optional): counting
 * costs a scan of every matching index entry, and a page must not cost a scan of an archive.
 */
import type { ArchiveQuery } from '../archive-store.js';

/**
 * Matching items counted at most: about 0.3 ms of index scan, as much as the page itself
 * (counting 10,000 took 5–7 ms, twenty times the page).
 */
export const COUNT_CAP = 1_000;

export interface ArchiveQuerySql {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The conditions of `query` on top of host, store and archive ($1–$3). `with` matches equal
 * values, and for a bare JID also that JID plus any resource: exactly the items whose
 * `with_bare` (the part before the first '/') is that JID.
 */
function conditions(query: ArchiveQuery, values: unknown[]): string[] {
  const where = ['host = $1', 'store = $2', 'archive = $3'];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.with !== undefined) {
    const slash = query.with.indexOf('/');
    where.push(`with_bare = ${param(slash < 0 ? query.with : query.with.slice(0, slash))}`);
    if (slash >= 0) where.push(`"with" = ${param(query.with)}`);
  }
  if (query.start !== undefined) where.push(`"when" >= ${param(query.start)}`);
  if (query.end !== undefined) where.push(`"when" <= ${param(query.end)}`);
  if (query.afterId !== undefined) where.push(`id > ${param(query.afterId)}`);
  if (query.beforeId !== undefined) where.push(`id < ${param(query.beforeId)}`);
  if (query.ids !== undefined) where.push(`id = ANY(${param([...query.ids])}::text[])`);
  return where;
}

function knownId(id: string | undefined, values: unknown[]): string {
  if (id === undefined) return 'true';
  values.push(id);
  return `EXISTS (SELECT 1 FROM salon_archive WHERE host = $1 AND store = $2 AND archive = $3 AND id = $${values.length})`;
}

/** The statement for `query` in one archive; its rows are described by `ArchiveQueryRow`. */
export function archiveQuerySql(host: string, store: string, archive: string, query: ArchiveQuery): ArchiveQuerySql {
  const values: unknown[] = [host, store, archive];
  const where = conditions(query, values).join(' AND ');
  const afterKnown = knownId(query.afterId, values);
  const beforeKnown = knownId(query.beforeId, values);
  values.push(Math.max(0, query.limit) + 1);
  const limit = `$${values.length}`;
  const order = query.fromEnd === true ? 'DESC' : 'ASC';
  const text = `SELECT k.after_known, k.before_known, c.total, p.id, p."when", p."with", p.stanza
    FROM (SELECT ${afterKnown} AS after_known, ${beforeKnown} AS before_known) k
    CROSS JOIN (SELECT count(*) AS total FROM (SELECT FROM salon_archive WHERE ${where} LIMIT ${COUNT_CAP + 1}) capped) c
    LEFT JOIN LATERAL (
      SELECT id, "when", "with", stanza FROM salon_archive WHERE ${where} ORDER BY id ${order} LIMIT ${limit}
    ) p ON true`;
  return { text, values };
}

/** A row of the statement: the flags and total repeat on every row; no page row leaves id null. */
export interface ArchiveQueryRow {
  after_known: boolean;
  before_known: boolean;
  total: string;
  id: string | null;
  when: string | null;
  with: string | null;
  stanza: string | null;
}
