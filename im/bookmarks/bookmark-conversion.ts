/**
 * XEP-0411 conversion between the two shapes of a user's bookmarks. Pure.
 * - XEP-0402 (native): PEP node `urn:xmpp:bookmarks:1`, one item per room, item id = room JID,
 *   payload `<conference xmlns='urn:xmpp:bookmarks:1' name autojoin><nick/><password/><extensions/></conference>`.
 * - XEP-0048 (legacy): one `<storage xmlns='storage:bookmarks'>` holding `<conference jid name autojoin>`
 *   elements with `<nick/>` and `<password/>`, kept in private XML storage (XEP-0049) or in the
 *   PEP node `storage:bookmarks` (item id `current`).
 * Legacy `<url/>` bookmarks have no native shape and are dropped, as Prosody's mod_bookmarks does;
 * native `<extensions/>` survive a legacy client's change to the same room (`keepExtensions`).
 */
import { Element } from 'ltx';

export const BOOKMARKS_NS = 'urn:xmpp:bookmarks:1';
/** XEP-0402 before version 0.4.0: refused, so an outdated client notices (as Prosody does). */
export const BOOKMARKS_OLD_NS = 'urn:xmpp:bookmarks:0';
export const LEGACY_NS = 'storage:bookmarks';
/** The private-storage key (`name:namespace`) XEP-0048 bookmarks live under. */
export const LEGACY_PRIVATE_KEY = `storage:${LEGACY_NS}`;

/** The node's configuration XEP-0402 §3 asks for (XEP-0223 private storage, every item kept). */
export const NATIVE_NODE_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['pubsub#persist_items', ['true']],
  ['pubsub#max_items', ['max']],
  ['pubsub#access_model', ['whitelist']],
]);

function textOf(element: Element, name: string, xmlns?: string): string | undefined {
  const child = xmlns === undefined ? element.getChild(name) : element.getChild(name, xmlns);
  return child === undefined ? undefined : child.getText();
}

/** Attributes without the undefined ones (ltx would write `name="undefined"`). */
function definedAttrs(attrs: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) out[name] = value;
  return out;
}

function addTextChildren(target: Element, nick: string | undefined, password: string | undefined): void {
  if (nick !== undefined) target.c('nick').t(nick);
  if (password !== undefined) target.c('password').t(password);
}

/** The legacy `<storage/>` for the native items (`<item id='room'>`), in the node's order. */
export function legacyStorage(items: readonly Element[]): Element {
  const storage = new Element('storage', { xmlns: LEGACY_NS });
  for (const item of items) {
    const jid = item.attrs.id as string | undefined;
    const native = item.getChild('conference', BOOKMARKS_NS);
    if (jid === undefined || native === undefined) continue;
    const conference = storage.c('conference', definedAttrs({
      jid, name: native.attrs.name as string | undefined, autojoin: native.attrs.autojoin as string | undefined,
    }));
    addTextChildren(conference, textOf(native, 'nick', BOOKMARKS_NS), textOf(native, 'password', BOOKMARKS_NS));
  }
  return storage;
}

/**
 * The native items for a legacy `<storage/>`: room JID → `<item id='room'>`. A `<conference/>`
 * without a `jid` names no room and is skipped; of two for one room the last one wins.
 */
export function nativeItems(storage: Element): Map<string, Element> {
  const items = new Map<string, Element>();
  for (const conference of storage.getChildren('conference', LEGACY_NS)) {
    const jid = conference.attrs.jid as string | undefined;
    if (jid === undefined || jid === '') continue;
    const native = new Element('conference', definedAttrs({
      xmlns: BOOKMARKS_NS, name: conference.attrs.name as string | undefined, autojoin: conference.attrs.autojoin as string | undefined,
    }));
    addTextChildren(native, textOf(conference, 'nick'), textOf(conference, 'password'));
    const item = new Element('item', { id: jid });
    item.cnode(native);
    items.set(jid, item);
  }
  return items;
}

/** Whether two native items say the same things a legacy bookmark can say (id, name, autojoin, nick, password). */
export function sameBookmark(a: Element, b: Element | undefined): boolean {
  if (b === undefined || a.attrs.id !== b.attrs.id) return false;
  const left = a.getChild('conference', BOOKMARKS_NS);
  const right = b.getChild('conference', BOOKMARKS_NS);
  if (left === undefined || right === undefined) return false;
  return left.attrs.name === right.attrs.name && left.attrs.autojoin === right.attrs.autojoin
    && textOf(left, 'nick', BOOKMARKS_NS) === textOf(right, 'nick', BOOKMARKS_NS)
    && textOf(left, 'password', BOOKMARKS_NS) === textOf(right, 'password', BOOKMARKS_NS);
}

/** `replacement` keeping the `<extensions/>` of the item it replaces (other clients' data about the room). */
export function keepExtensions(replacement: Element, previous: Element | undefined): Element {
  const extensions = previous?.getChild('conference', BOOKMARKS_NS)?.getChild('extensions', BOOKMARKS_NS);
  if (extensions !== undefined) replacement.getChild('conference', BOOKMARKS_NS)?.cnode(extensions);
  return replacement;
}
