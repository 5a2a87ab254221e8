/**
 * What a room archive keeps of a groupchat message and how it reads it back. Which messages are
 * kept follows Prosody's rule for room history (`muc-message-is-historic`): XEP-0334 `no-store`
 * or `no-permanent-store` keep nothing, `store` keeps anything, otherwise a body, an encrypted
 * payload (XEP-0380) or a chat marker (XEP-0333). Subject changes without a body are not kept.
 *
 * The stored copy carries the sender's real (bare) JID, affiliation and role in a muc#user
 * `<x><item/></x>`, as Prosody's does, plus status 100 when the room was non-anonymous at the
 * time (XEP-0045 §7.2.4: everyone could see the JID then). Results reveal it only to whoever may
 * see real JIDs: moderators, owners and admins; in a non-anonymous room everyone, but only for
 * messages sent while it was non-anonymous, so making a room non-anonymous does not unmask
 * what was said before.
 */
import { Element, clone, parse } from 'ltx';
import { hasHint, NS } from '../../server/xml/index.js';
import type { Affiliation, Role } from '../rooms/roles-affiliations.js';

/** XEP-0380 explicit encryption. */
const EME = 'urn:xmpp:eme:0';
/** XEP-0333 chat markers. */
const CHAT_MARKERS = 'urn:xmpp:chat-markers:0';
/** XEP-0045 status 100: any occupant may see the sender's real JID. */
const NON_ANONYMOUS = '100';

/** Whether a reflected groupchat message goes to the room's archive (see the file comment). */
export function isArchiveWorthy(message: Element): boolean {
  if (message.attrs.type !== 'groupchat') return false;
  if (hasHint(message, 'no-store') || hasHint(message, 'no-permanent-store')) return false;
  if (hasHint(message, 'store') || message.getChild('body') !== undefined) return true;
  if (message.getChild('encryption', EME) !== undefined) return true;
  return message.children.some((child) => typeof child !== 'string' && child.attrs.xmlns === CHAT_MARKERS);
}

/** Who sent a message, as the archive records it. */
export interface ArchivedSender {
  readonly bareJid: string;
  readonly affiliation: Affiliation;
  readonly role: Role;
  /** The room was non-anonymous when the message was sent. */
  readonly public: boolean;
}

/** The stanza the archive keeps: the reflection without `to`, with the sender's real JID. */
export function storedCopy(message: Element, sender: ArchivedSender | undefined): string {
  const stored = clone(message);
  delete stored.attrs.to;
  if (sender !== undefined) {
    const x = new Element('x', { xmlns: NS.mucUser });
    x.c('item', { affiliation: sender.affiliation, role: sender.role, jid: sender.bareJid });
    if (sender.public) x.c('status', { code: NON_ANONYMOUS });
    stored.cnode(x);
  }
  return stored.toString();
}

/** Who reads an archived message back. */
export type JidVisibility = 'all' | 'public-only' | 'none';

/**
 * An archived message as a reader receives it: a `jabber:client` message without `to`, with the
 * sender's real JID only as `visibility` allows.
 */
export function readBack(stanza: string, visibility: JidVisibility): Element {
  const message = parse(stanza);
  delete message.attrs.to;
  message.attrs.xmlns = 'jabber:client';
  message.children = message.children.filter((child) => {
    if (typeof child === 'string' || child.name !== 'x' || child.attrs.xmlns !== NS.mucUser) return true;
    const wasPublic = child.getChildren('status').some((status) => status.attrs.code === NON_ANONYMOUS);
    const shown = visibility === 'all' || (visibility === 'public-only' && wasPublic);
    child.children = child.children.filter((part) => typeof part !== 'string' && part.name === 'item');
    return shown;
  });
  return message;
}
