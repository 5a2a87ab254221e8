/**
 * Paging of listings (pure): items in the order of their keys' UTF-16 code units (not locale
 * dependent), a page of at most `limit` after the cursor `after` (the key of the last item of the
 * previous page, exclusive). A cursor names a position, not an item, so it stays valid when that
 * item is removed meanwhile.
 */
import * as z from 'zod';

export interface Page<T> {
  readonly items: readonly T[];
  /** The cursor of the next page; null on the last page. */
  readonly next: string | null;
}

/** The query of a paged listing: `limit` (1 to `max`, default `preset`) and `after`. */
export function pageQuery(max: number, preset: number) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(max).default(preset).describe(`Items per page, 1 to ${max}.`),
    after: z.string().min(1).optional().describe('The `next` cursor of the previous page.'),
  });
}

/** The `next` member of a paged listing's answer. */
export const nextCursor = z.string().nullable().describe('Pass as `after` for the next page; null on the last page.');

/** The page of `keys` after `after`, at most `limit` long. */
export function pageOfKeys(keys: Iterable<string>, limit: number, after: string | undefined): Page<string> {
  const sorted = [...keys].filter((key) => after === undefined || key > after).sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
  const items = sorted.slice(0, limit);
  return { items, next: sorted.length > limit ? items.at(-1) ?? null : null };
}
