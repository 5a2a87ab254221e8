/**
 * How an archived item is kept in LMDB: its id is the last part of the key, the rest a MessagePack
 * array (lmdb-js's default value encoding) of time, peer and stanza.
 */
import type { ArchivedItem } from './archive-store.js';

/** `[when, with, stanza]`. */
export type StoredItem = readonly [when: number, withJid: string, stanza: string];

export function encodeItem(item: ArchivedItem): StoredItem {
  return [item.when, item.with, item.stanza];
}

export function decodeItem(id: string, stored: StoredItem): ArchivedItem {
  return { id, when: stored[0], with: stored[1], stanza: stored[2] };
}
