/**
 * The presence an occupant shows in a room (XEP-0045 §7.2.2 #enter-pres, §7.2.3, §7.2.4): the
 * user's own presence payload, from the occupant JID, with the `muc#user` item (affiliation, role,
 * real JID when the recipient may see it), status codes and the XEP-0421 occupant id.
 */
import { Element, clone } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import type { Affiliation, Role } from '../rooms/roles-affiliations.js';
import { MucStatus, statusElement, type MucStatusCode } from '../rooms/status-codes.js';

/** Who performed an administrative change (XEP-0045 §8.2 `<actor/>`); absent for the service itself. */
export interface ActorInfo {
  readonly nick?: string;
  readonly jid?: Jid;
}

/** What an occupant presence says beyond the occupant's current state. */
export interface PresenceDetails {
  readonly type?: 'unavailable';
  /** Status codes for every recipient. */
  readonly codes?: readonly MucStatusCode[];
  /** Further codes for the occupant's own sessions only (110 is always added there). */
  readonly selfCodes?: readonly MucStatusCode[];
  /** The role shown (`none` for a departure); default the occupant's role. */
  readonly role?: Role;
  /** The affiliation shown; default the occupant's current one. */
  readonly affiliation?: Affiliation;
  readonly actor?: ActorInfo;
  /** Omitted when undefined or empty. */
  readonly reason?: string;
  /** §7.6: the new nickname, in the unavailable presence with status 303. */
  readonly newNick?: string;
  /** §10.9: the `<destroy/>` element of a destroyed room. */
  readonly destroy?: Element;
  /** The presence whose payload (show, status, caps, …) is shown; default the primary session's. */
  readonly payload?: Element;
}

/** A recipient: one of the occupant's own sessions, or another occupant. */
export type PresenceAudience =
  | { readonly kind: 'self'; readonly jid: Jid }
  | { readonly kind: 'other'; readonly withJid: boolean };

/**
 * Children of a user's presence the room passes on: not its MUC extensions nor a forged occupant
 * id (XEP-0421 §4), wherever they sit. Canonical stanzas (DESIGN.md §1) state each child's
 * namespace in `xmlns`, so a prefixed `<m:x/>` is caught like a plain one.
 */
function isForwardable(child: Element | string): child is Element {
  if (typeof child === 'string') return false;
  const xmlns = child.attrs.xmlns as string | undefined;
  return xmlns !== NS.muc && xmlns !== NS.mucUser && xmlns !== NS.occupantId;
}

function itemElement(room: ChatRoom, occupant: RoomOccupant, details: PresenceDetails, audience: PresenceAudience): Element {
  const realJid = realJidFor(occupant, audience);
  const attrs: Record<string, string> = {
    affiliation: details.affiliation ?? room.affiliationOf(occupant.bareJid),
    role: details.role ?? occupant.role,
  };
  if (realJid !== undefined) attrs.jid = realJid.toString();
  if (details.newNick !== undefined) attrs.nick = details.newNick;
  const item = new Element('item', attrs);
  const actor = details.actor;
  if (actor !== undefined && (actor.nick !== undefined || actor.jid !== undefined)) {
    const actorAttrs: Record<string, string> = {};
    if (actor.nick !== undefined) actorAttrs.nick = actor.nick;
    // The actor's real JID only for those who see real JIDs anyway (§8.2 example: nick only).
    if (actor.jid !== undefined && audience.kind === 'other' && audience.withJid) actorAttrs.jid = actor.jid.toString();
    item.c('actor', actorAttrs);
  }
  if (details.reason !== undefined && details.reason !== '') item.c('reason').t(details.reason);
  return item;
}

function statusCodes(details: PresenceDetails, audience: PresenceAudience): MucStatusCode[] {
  const codes = new Set<MucStatusCode>(details.codes ?? []);
  if (audience.kind === 'self') {
    for (const code of details.selfCodes ?? []) codes.add(code);
    codes.add(MucStatus.SelfPresence);
  }
  return [...codes].sort((a, b) => a - b);
}

function realJidFor(occupant: RoomOccupant, audience: PresenceAudience): Jid | undefined {
  if (audience.kind === 'self') return audience.jid;
  if (!audience.withJid || occupant.sessions.size === 0) return undefined;
  return occupant.primary.jid;
}

/** The occupant's presence as `audience` sees it, without `to` (the sender splices it in). */
export function occupantPresence(
  room: ChatRoom, occupant: RoomOccupant, details: PresenceDetails, audience: PresenceAudience,
): Element {
  const attrs: Record<string, string> = { from: occupant.jid.toString() };
  if (details.type !== undefined) attrs.type = details.type;
  const presence = new Element('presence', attrs);
  const payload = details.payload ?? (details.type === undefined && occupant.sessions.size > 0 ? occupant.primary.presence : undefined);
  if (payload !== undefined) for (const child of payload.children) if (isForwardable(child)) presence.cnode(clone(child));
  const x = presence.c('x', { xmlns: NS.mucUser });
  x.cnode(itemElement(room, occupant, details, audience));
  if (details.destroy !== undefined) x.cnode(clone(details.destroy));
  for (const code of statusCodes(details, audience)) x.cnode(statusElement(code));
  presence.c('occupant-id', { xmlns: NS.occupantId, id: occupant.occupantId });
  return presence;
}
