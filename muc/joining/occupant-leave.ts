/**
 * Occupants leaving a room: by unavailable presence (XEP-0045 §7.14), because their session ended,
 * or removed by the room (kick 307, ban 301, affiliation 321, members-only 322, error 333).
 * Whoever is told anything is told before the occupant is removed.
 */
import type { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { LeaveReason } from '../events.js';
import type { MucEngine } from '../muc-engine.js';
import type { ActorInfo, PresenceDetails } from '../delivery/occupant-presence.js';
import { broadcastToOthers, sendSelfPresence, sendSelfPresences } from '../delivery/presence-broadcast.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import type { Affiliation } from '../rooms/roles-affiliations.js';
import type { MucStatusCode } from '../rooms/status-codes.js';

/** Takes an occupant out of the room's state, tells the hooks, and lets an empty temporary room go. */
export function removeOccupant(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, reason: LeaveReason): void {
  const snapshot = occupantSnapshot(room, occupant);
  room.removeOccupant(occupant);
  occupant.role = 'none';
  engine.hooks.notify('muc-occupant-left', { room: room.view, occupant: snapshot, reason });
  engine.releaseIfEmpty(room);
}

/** How one session leaves. */
export interface SessionLeave {
  /** The unavailable presence the session sent (its status text is passed on). */
  readonly stanza?: Element;
  readonly reason: LeaveReason;
  /** False when the session is gone and cannot be told. */
  readonly notifySelf: boolean;
}

/**
 * One session leaves. Another session of the same occupant keeps the nickname (and, if the
 * leaving one was primary, others see the new primary's presence); the last one takes the
 * occupant out.
 */
export function leaveSession(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, session: Jid, leave: SessionLeave): void {
  const target = occupant.session(session);
  if (target === undefined) return;
  const details: PresenceDetails = { type: 'unavailable', role: 'none', ...(leave.stanza ? { payload: leave.stanza } : {}) };
  if (occupant.sessions.size > 1) {
    const wasPrimary = occupant.primary === target;
    if (leave.notifySelf) sendSelfPresence(room, occupant, target, details);
    room.removeSession(occupant, session);
    if (wasPrimary) broadcastToOthers(room, occupant, {});
    return;
  }
  broadcastToOthers(room, occupant, details);
  if (leave.notifySelf) sendSelfPresence(room, occupant, target, details);
  removeOccupant(engine, room, occupant, leave.reason);
}

/** Why the room removes an occupant, as everyone is told. */
export interface Eviction {
  readonly codes: readonly MucStatusCode[];
  readonly reason: LeaveReason;
  readonly actor?: ActorInfo;
  /** The text of `<reason/>`; none when empty. */
  readonly text?: string;
  /** The affiliation shown (the new one after a ban or an affiliation change). */
  readonly affiliation?: Affiliation;
}

/** Removes an occupant with all of its sessions, telling everyone why (§8.2, §9.1, §9.4, §10.2). */
export function evictOccupant(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, eviction: Eviction): void {
  const details: PresenceDetails = {
    type: 'unavailable',
    role: 'none',
    codes: eviction.codes,
    ...(eviction.actor ? { actor: eviction.actor } : {}),
    ...(eviction.text !== undefined ? { reason: eviction.text } : {}),
    ...(eviction.affiliation ? { affiliation: eviction.affiliation } : {}),
  };
  sendSelfPresences(room, occupant, details);
  broadcastToOthers(room, occupant, details);
  removeOccupant(engine, room, occupant, eviction.reason);
}

/** Removes a session that ended (stream closed) from every room it was in. */
export function removeEndedSession(engine: MucEngine, session: Jid): void {
  for (const room of engine.rooms.roomsOf(session)) {
    const occupant = room.occupantBySession(session);
    if (occupant !== undefined) leaveSession(engine, room, occupant, session, { reason: 'disconnected', notifySelf: false });
  }
}
