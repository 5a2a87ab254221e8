/**
 * XEP-0411 §4: a legacy client stored its whole `<storage xmlns='storage:bookmarks'/>`; the native
 * node `urn:xmpp:bookmarks:1` is brought to say the same, one item per room, so XEP-0402 clients
 * are notified of each room added, changed or removed. Rooms that did not change are not
 * published again.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { PepService } from '../pep/index.js';
import { BOOKMARKS_NS, keepExtensions, NATIVE_NODE_FIELDS, nativeItems, sameBookmark } from './bookmark-conversion.js';

/**
 * Publishes the rooms of `storage` that are new or changed. With `replace` (a client's set),
 * rooms missing from `storage` are retracted and an empty `storage` purges the node; without it
 * (moving old data in), what the node holds already stays.
 */
export async function syncLegacyBookmarks(pep: PepService, owner: Jid, storage: Element, replace: boolean): Promise<Result<void, StanzaError>> {
  const wanted = nativeItems(storage);
  // The node keeps `pep_max_items` items: more rooms would silently lose the oldest.
  if (wanted.size > pep.maxItems) {
    return err(StanzaError.wait('resource-constraint', { text: `At most ${pep.maxItems} bookmarks can be stored` }));
  }
  if (wanted.size === 0) return replace ? pep.purge(owner, BOOKMARKS_NS) : ok(undefined);
  const current = new Map<string, Element>();
  for (const item of (await pep.read(owner, BOOKMARKS_NS))?.items ?? []) current.set(item.attrs.id as string, item);
  for (const [room, item] of wanted) {
    const previous = current.get(room);
    if (sameBookmark(item, previous)) continue;
    const published = await pep.publish(owner, BOOKMARKS_NS, keepExtensions(item, previous), NATIVE_NODE_FIELDS);
    if (!published.ok) return published;
  }
  if (!replace) return ok(undefined);
  const removed = [...current.keys()].filter((room) => !wanted.has(room));
  for (const room of removed) {
    const retracted = await pep.retract(owner, BOOKMARKS_NS, [room]);
    if (!retracted.ok) return retracted;
  }
  return ok(undefined);
}
