/**
 * What XEP-0411 asks beyond answering requests:
 * - §5: when the native node changes, the owner's resources interested in the legacy PEP node
 *   (`storage:bookmarks+notify`) are sent the whole converted `<storage/>`, item `current`;
 * - moving in bookmarks kept the old way: when a resource binds, XEP-0048 bookmarks left in
 *   private XML storage are published to the native node (what it already holds stays) and
 *   forgotten there, as Prosody's `upgrade_legacy_bookmarks` does.
 */
import { Element } from 'ltx';
import { parseXmlFragment } from '../../server/xml/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { Logger } from '../../server/log/index.js';
import type { PepService } from '../pep/index.js';
import type { PrivateStorage } from '../private/index.js';
import { BOOKMARKS_NS, LEGACY_NS, LEGACY_PRIVATE_KEY, legacyStorage } from './bookmark-conversion.js';
import { syncLegacyBookmarks } from './bookmark-sync.js';

/** XEP-0411 §5: the legacy notification for the native node's current state. */
export async function broadcastLegacy(pep: PepService, owner: Jid): Promise<void> {
  const node = await pep.read(owner, BOOKMARKS_NS);
  const items = new Element('items', { node: LEGACY_NS });
  items.c('item', { id: 'current' }).cnode(legacyStorage(node?.items ?? []));
  await pep.notifyOwner(owner, LEGACY_NS, items);
}

/** Moves the user's XEP-0048 bookmarks out of private storage into the native node, once. */
export async function migratePrivateBookmarks(pep: PepService, privateStorage: PrivateStorage, owner: Jid, logger: Logger): Promise<void> {
  const xml = await privateStorage.read(owner.local, LEGACY_PRIVATE_KEY);
  if (xml === undefined) return;
  const parsed = parseXmlFragment(xml, { maxDepth: 64, maxAttributes: 256, maxStanzaBytes: Buffer.byteLength(xml) });
  if (!parsed.ok) {
    logger.warn({ user: owner.toString() }, 'Stored XEP-0048 bookmarks do not parse; left in private storage');
    return;
  }
  const synced = await syncLegacyBookmarks(pep, owner, parsed.value.element, false);
  if (!synced.ok) {
    logger.warn({ user: owner.toString(), condition: synced.error.condition }, 'Moving XEP-0048 bookmarks to PEP failed; will retry at the next login');
    return;
  }
  const forgotten = await privateStorage.forget(owner.local, LEGACY_PRIVATE_KEY);
  if (!forgotten.ok) logger.warn({ user: owner.toString() }, 'Could not forget XEP-0048 bookmarks moved to PEP');
}

/**
 * Moves in flight, by username: `resource-bind` is a notification, so the client's first
 * bookmarks request can arrive before the move ends; requests wait for it (entries leave when
 * their move settles, so the map holds at most the logins in progress).
 */
export class PendingMigrations {
  readonly #running = new Map<string, Promise<void>>();

  start(username: string, migrate: () => Promise<void>): void {
    if (this.#running.has(username)) return;
    const running = migrate().finally(() => this.#running.delete(username));
    this.#running.set(username, running);
  }

  /** Resolves once no move of `username`'s bookmarks is running. */
  async settled(username: string): Promise<void> {
    await this.#running.get(username);
  }
}
