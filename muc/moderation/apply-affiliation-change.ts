/**
 * Carrying out an affiliation change that has been allowed (XEP-0045 §9, §10): the list changes,
 * and every occupant of that user is told — banned (301, §9.1), removed from a members-only room
 * (321, §9.4), or shown with the new affiliation and, as Prosody does, the role it implies when
 * that is an upgrade or the affiliation went down (§9.3, §9.6, §10.3).
 */
import type { Jid } from '../../server/jid/index.js';
import type { ChangeContext } from './apply-role-change.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { evictOccupant } from '../joining/occupant-leave.js';
import { broadcastPresence } from '../delivery/presence-broadcast.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { AFFILIATION_RANK, ROLE_RANK, defaultRole, type Affiliation } from '../rooms/roles-affiliations.js';
import { MucStatus, type MucStatusCode } from '../rooms/status-codes.js';

function evict(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, code: MucStatusCode, affiliation: Affiliation, context: ChangeContext): void {
  evictOccupant(engine, room, occupant, {
    codes: [code], reason: code === MucStatus.Banned ? 'banned' : 'affiliation-changed', affiliation,
    ...(context.actor ? { actor: context.actor } : {}),
    ...(context.reason !== undefined ? { text: context.reason } : {}),
  });
}

/** Applies the change to the room's lists and its present occupants. Persisting is the caller's. */
export function applyAffiliationChange(engine: MucEngine, room: ChatRoom, user: Jid, affiliation: Affiliation, context: ChangeContext): void {
  const before = room.affiliationOf(user);
  room.setAffiliation(user.bare(), affiliation);
  const downgrade = AFFILIATION_RANK[affiliation] < AFFILIATION_RANK[before];
  for (const occupant of room.occupantsOf(user)) {
    if (affiliation === 'outcast') {
      evict(engine, room, occupant, MucStatus.Banned, affiliation, context);
      continue;
    }
    const role = defaultRole(affiliation, room.kind);
    if (role === 'none') {
      evict(engine, room, occupant, MucStatus.RemovedByAffiliationChange, affiliation, context);
      continue;
    }
    if (downgrade || ROLE_RANK[role] > ROLE_RANK[occupant.role]) occupant.role = role;
    broadcastPresence(room, occupant, { ...(context.actor ? { actor: context.actor } : {}), ...(context.reason !== undefined ? { reason: context.reason } : {}) });
  }
}
