/**
 * What a moderation produces (XEP-0425 §4 and §5): the announcement the room broadcasts to its
 * occupants and the tombstone that takes the message's place in the archive and in the join
 * history. Both carry the version 0.3 elements (`<retract>`/`<retracted>` with `<moderated>`
 * inside) and the version 0.2 ones (`<moderated>` with `<retract>`/`<retracted>` inside), so
 * clients of either version understand them, as Prosody's mod_muc_moderation does.
 */
import { randomUUID } from 'node:crypto';
import { Element, clone, parse } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { formatDateTime } from '../delivery/date-time.js';
import { MODERATION_NS, type ModerationRequest } from './moderation-request.js';

/** Who moderated: the moderator's occupant JID (absent when they have no nickname) and occupant id. */
export interface Moderator {
  readonly occupantJid: string | undefined;
  readonly occupantId: string;
}

function moderatedElement(xmlns: string, moderator: Moderator): Element {
  const moderated = new Element('moderated', moderator.occupantJid === undefined ? { xmlns } : { xmlns, by: moderator.occupantJid });
  if (xmlns === MODERATION_NS.moderate) moderated.c('occupant-id', { xmlns: NS.occupantId, id: moderator.occupantId });
  return moderated;
}

function withReason(parent: Element, reason: string | undefined): Element {
  if (reason !== undefined) parent.c('reason').t(reason);
  return parent;
}

/**
 * The groupchat message the room sends every occupant (§4, "retract" from the room's JID). It
 * carries the XEP-0334 `store` hint: the room's archive keeps it, so a client catching up
 * through MAM learns of the retraction too.
 */
export function moderationAnnouncement(roomJid: string, request: ModerationRequest, moderator: Moderator): Element {
  const message = new Element('message', { from: roomJid, type: 'groupchat', id: randomUUID() });
  const retract = message.c('retract', { xmlns: MODERATION_NS.retract, id: request.stanzaId });
  retract.cnode(moderatedElement(MODERATION_NS.moderate, moderator));
  withReason(retract, request.reason);
  const legacy = message.c('apply-to', { xmlns: MODERATION_NS.fasten, id: request.stanzaId })
    .cnode(moderatedElement(MODERATION_NS.moderateLegacy, moderator));
  legacy.c('retract', { xmlns: MODERATION_NS.retractLegacy });
  withReason(legacy, request.reason);
  message.c('store', { xmlns: NS.hints });
  return message;
}

/**
 * Whether a child of the original survives into the tombstone: who sent it (the sender's
 * occupant id, and the muc#user item with the real JID that archive readers may be shown) and
 * the room's stanza id. The body and every other payload go.
 */
function isKept(child: Element, roomJid: string): boolean {
  if (child.name === 'occupant-id' && child.attrs.xmlns === NS.occupantId) return true;
  if (child.name === 'x' && child.attrs.xmlns === NS.mucUser) return true;
  return child.name === 'stanza-id' && child.attrs.xmlns === NS.stanzaId && child.attrs.by === roomJid;
}

/** The tombstone of a moderated message (§5): its sender and ids kept, its content replaced. */
export function tombstoneOf(original: Element | string, roomJid: string, request: ModerationRequest, moderator: Moderator, when: Date): Element {
  const source = typeof original === 'string' ? parse(original) : original;
  const { from, type, id, xmlns } = source.attrs as Record<string, string | undefined>;
  const attrs: Record<string, string> = { type: type ?? 'groupchat' };
  if (xmlns !== undefined) attrs.xmlns = xmlns;
  if (from !== undefined) attrs.from = from;
  if (id !== undefined) attrs.id = id;
  const tombstone = new Element('message', attrs);
  const stamp = formatDateTime(when);
  const retracted = tombstone.c('retracted', { xmlns: MODERATION_NS.retract, stamp });
  retracted.cnode(moderatedElement(MODERATION_NS.moderate, moderator));
  withReason(retracted, request.reason);
  const legacy = tombstone.c('moderated', moderatedElement(MODERATION_NS.moderateLegacy, moderator).attrs);
  legacy.c('retracted', { xmlns: MODERATION_NS.retractLegacy, stamp });
  withReason(legacy, request.reason);
  for (const child of source.children) {
    if (typeof child !== 'string' && isKept(child, roomJid)) tombstone.cnode(clone(child));
  }
  return tombstone;
}
