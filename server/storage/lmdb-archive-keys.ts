/**
 * The key layout of the LMDB archive environment. Keys are lmdb-js ordered-binary arrays, which
 * sort element by element, so every archive of a store is one contiguous key range and, within
 * it, items sort by id, which is time order (`archive-id.ts`).
 *   items:  [host, store, archive, id]            -> [when, with, stanza]
 *   with:   [host, store, archive, withKey, id]   -> the item's full `with`
 * Each item has a `with` entry under its peer's bare JID and, when its `with` has a resource (an
 * occupant JID in a room's archive), a second one under the full JID; so a bare query and a full
 * one each read one range, in id order, without scanning the rest of the archive.
 */

export type ItemKey = [host: string, store: string, archive: string, id: string];
export type WithKey = [host: string, store: string, archive: string, withKey: string, id: string];

/** Which archives a store's keys belong to. */
export interface ArchiveScope {
  readonly host: string;
  readonly store: string;
}

/** Sorts after every archive id (ids use only `0-9a-v`). */
export const AFTER_ALL_IDS = '\uffff';

/**
 * LMDB keys are at most 1978 bytes: a `with` longer than this is indexed by its first characters
 * (the entry's value holds the whole `with`, which the query compares).
 */
const MAX_WITH_KEY_CHARS = 300;

export function itemKey(scope: ArchiveScope, archive: string, id: string): ItemKey {
  return [scope.host, scope.store, archive, id];
}

/** The part of the `with` index a query or an entry is filed under. */
export function withIndexKey(scope: ArchiveScope, archive: string, withJid: string, id: string): WithKey {
  return [scope.host, scope.store, archive, withJid.slice(0, MAX_WITH_KEY_CHARS), id];
}

/** The bare JID of a `with` value (everything before the first slash). */
export function bareOf(withJid: string): string {
  const slash = withJid.indexOf('/');
  return slash < 0 ? withJid : withJid.slice(0, slash);
}

/** The `with` index keys of an item: its bare peer, and its full peer when it has a resource. */
export function withKeysOf(scope: ArchiveScope, archive: string, withJid: string, id: string): WithKey[] {
  const bare = bareOf(withJid);
  const keys = [withIndexKey(scope, archive, bare, id)];
  if (bare !== withJid) keys.push(withIndexKey(scope, archive, withJid, id));
  return keys;
}
