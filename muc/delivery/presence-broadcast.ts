/**
 * Presence fan-out in a room: each change of an occupant's presence goes to every occupant,
 * serialised once per kind of recipient (with or without real JIDs, XEP-0045 §7.2.3/§7.2.4), and
 * to the occupant's own sessions with status 110. `muc#roomconfig_presencebroadcast` limits whose
 * presence others see.
 */
import { serializeElement } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { canSeeRealJids } from '../rooms/occupant-permissions.js';
import { occupantPresence, type PresenceDetails } from './occupant-presence.js';
import { SharedStanza, sendElement, sendShared } from './shared-stanza.js';
import type { OccupantSession, RoomOccupant } from '../rooms/room-occupant.js';
import type { Role } from '../rooms/roles-affiliations.js';

/** Whether the presence of an occupant with `role` is broadcast to others (§10.1.3, `presencebroadcast`). */
export function isBroadcastRole(room: ChatRoom, role: Role): boolean {
  return role !== 'none' && room.config.presencebroadcast.includes(role);
}

/** Sends an occupant's presence, as seen by others, to one session of another occupant. */
export function sendPresenceTo(room: ChatRoom, occupant: RoomOccupant, recipient: RoomOccupant, target: OccupantSession): void {
  const withJid = canSeeRealJids(room.config.whois, recipient.role);
  sendElement(target, occupantPresence(room, occupant, {}, { kind: 'other', withJid }));
}

/** Sends an occupant's presence to the other occupants (not to its own sessions). */
export function broadcastToOthers(room: ChatRoom, occupant: RoomOccupant, details: PresenceDetails, broadcastRole: Role = occupant.role): void {
  if (!isBroadcastRole(room, broadcastRole)) return;
  let withJid: SharedStanza | undefined;
  let withoutJid: SharedStanza | undefined;
  for (const other of room.occupants()) {
    if (other === occupant) continue;
    let shared: SharedStanza;
    if (canSeeRealJids(room.config.whois, other.role)) {
      shared = withJid ??= new SharedStanza(serializeElement(occupantPresence(room, occupant, details, { kind: 'other', withJid: true })));
    } else {
      shared = withoutJid ??= new SharedStanza(serializeElement(occupantPresence(room, occupant, details, { kind: 'other', withJid: false })));
    }
    for (const target of other.sessions.values()) sendShared(target, shared);
  }
}

/** Sends the occupant's own presence (status 110) to one of its sessions. */
export function sendSelfPresence(room: ChatRoom, occupant: RoomOccupant, target: OccupantSession, details: PresenceDetails): void {
  sendElement(target, occupantPresence(room, occupant, details, { kind: 'self', jid: target.jid }));
}

/** Sends the occupant's own presence to all of its sessions. */
export function sendSelfPresences(room: ChatRoom, occupant: RoomOccupant, details: PresenceDetails): void {
  for (const target of occupant.sessions.values()) sendSelfPresence(room, occupant, target, details);
}

/** The whole broadcast: others first, then the occupant's own sessions. */
export function broadcastPresence(room: ChatRoom, occupant: RoomOccupant, details: PresenceDetails, broadcastRole: Role = occupant.role): void {
  broadcastToOthers(room, occupant, details, broadcastRole);
  sendSelfPresences(room, occupant, details);
}
