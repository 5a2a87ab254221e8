/**
 * Carrying out a role change that has been allowed: a kick (role `none`, status 307, XEP-0045
 * §8.2) removes the occupant; voice and moderator changes (§8.3, §8.4, §9.6, §9.7) broadcast the
 * occupant's presence with the new role, the actor and the reason, and `muc-occupant-role-changed`
 * tells the hooks when the role actually changed.
 */
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { evictOccupant } from '../joining/occupant-leave.js';
import type { ActorInfo } from '../delivery/occupant-presence.js';
import { broadcastPresence } from '../delivery/presence-broadcast.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import type { Role } from '../rooms/roles-affiliations.js';
import { MucStatus } from '../rooms/status-codes.js';

/** Who made a change and why, as occupants are told. */
export interface ChangeContext {
  readonly actor?: ActorInfo;
  /** The text of `<reason/>`; none when empty. */
  readonly reason?: string;
}

/** Tells the hooks an occupant still in the room went from `previous` to its current role. */
export function notifyRoleChanged(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, previous: Role, context: ChangeContext): void {
  if (previous === occupant.role || occupant.role === 'none' || !engine.hooks.has('muc-occupant-role-changed')) return;
  engine.hooks.notify('muc-occupant-role-changed', {
    room: room.view, occupant: occupantSnapshot(room, occupant), previous, actor: context.actor?.jid,
  });
}

/** Applies an allowed role change and tells the room. */
export function applyRoleChange(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, role: Role, context: ChangeContext): void {
  if (role === 'none') {
    evictOccupant(engine, room, occupant, {
      codes: [MucStatus.Kicked], reason: 'kicked',
      ...(context.actor ? { actor: context.actor } : {}),
      ...(context.reason !== undefined ? { text: context.reason } : {}),
    });
    return;
  }
  const before = occupant.role;
  occupant.role = role;
  // Presence is broadcast if either role's presence is (someone granted voice becomes visible).
  const shown = room.config.presencebroadcast.includes(role as Exclude<Role, 'none'>) ? role : before;
  broadcastPresence(room, occupant, { ...(context.actor ? { actor: context.actor } : {}), ...(context.reason !== undefined ? { reason: context.reason } : {}) }, shown);
  notifyRoleChanged(engine, room, occupant, before, context);
}
