/**
 * A message an occupant sent, as the room passes it on: the room's `from`, the kept attributes,
 * and the sender's children without the claims only the room may make. XEP-0421 §4: occupant
 * ids the sender wrote are removed (the room adds the real one); XEP-0045 §7.5: a muc#user `<x/>`
 * speaks for the room (status codes, items), never for a sender; XEP-0359 §3.3: a `<stanza-id/>`
 * whose `by` names the room would pass for one the room's archive stamped. Stanzas are canonical
 * (DESIGN.md §1), so a child's `xmlns` is its namespace whatever prefix was sent.
 */
import { Element } from 'ltx';
import { parseJid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';

/** Whether `child` is a `<stanza-id/>` claiming to come from the room `roomJid`. */
function claimsRoomStanzaId(child: Element, roomJid: string): boolean {
  if (child.name !== 'stanza-id' || child.attrs.xmlns !== NS.stanzaId) return false;
  const by: unknown = child.attrs.by;
  if (typeof by !== 'string') return false;
  if (by === roomJid) return true;
  const parsed = parseJid(by);
  return parsed.ok && parsed.value.toString() === roomJid;
}

export function copyWithoutRoomClaims(stanza: Element, attrs: Record<string, string>, kept: readonly string[], roomJid: string): Element {
  for (const name of kept) {
    const value = stanza.attrs[name] as string | undefined;
    if (value !== undefined) attrs[name] = value;
  }
  const message = new Element('message', attrs);
  for (const child of stanza.children) {
    if (typeof child !== 'string' && (child.attrs.xmlns === NS.occupantId || child.attrs.xmlns === NS.mucUser)) continue;
    if (typeof child !== 'string' && claimsRoomStanzaId(child, roomJid)) continue;
    message.cnode(child);
  }
  return message;
}
