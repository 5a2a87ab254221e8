/**
 * A message an occupant sent, as the room passes it on: the room's `from`, the kept attributes,
 * and the sender's children without the claims only the room may make. XEP-0421 §4: occupant
 * ids the sender wrote are removed (the room adds the real one); XEP-0045 §7.5: a muc#user `<x/>`
 * speaks for the room (status codes, items), never for a sender. Stanzas are canonical
 * (DESIGN.md §1), so a child's `xmlns` is its namespace whatever prefix was sent.
 */
import { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';

export function copyWithoutRoomClaims(stanza: Element, attrs: Record<string, string>, kept: readonly string[]): Element {
  for (const name of kept) {
    const value = stanza.attrs[name] as string | undefined;
    if (value !== undefined) attrs[name] = value;
  }
  const message = new Element('message', attrs);
  for (const child of stanza.children) {
    if (typeof child !== 'string' && (child.attrs.xmlns === NS.occupantId || child.attrs.xmlns === NS.mucUser)) continue;
    message.cnode(child);
  }
  return message;
}
