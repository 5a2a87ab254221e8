/**
 * Carrying out an affiliation change that has been allowed (XEP-0045 §9, §10): the list changes,
 * and every occupant of that user is told — banned (301, §9.1), removed from a members-only room
 * (321, §9.4), or shown with the new affiliation and, as Prosody does, the role it implies when
 * that is an upgrade or the affiliation went down (§9.3, §9.6, §10.3). A user who is not in the
 * room is announced to those who may see real JIDs (`absent-affiliation-notice.ts`). The hooks
 * hear `muc-affiliation-changed` (and `muc-occupant-role-changed` for a role it changed).
 */
import type { Jid } from '../../server/jid/index.js';
import { notifyRoleChanged, type ChangeContext } from './apply-role-change.js';
import { sendAbsentAffiliationNotice } from './absent-affiliation-notice.js';
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

function updateOccupant(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, affiliation: Affiliation, downgrade: boolean, context: ChangeContext): void {
  if (affiliation === 'outcast') {
    evict(engine, room, occupant, MucStatus.Banned, affiliation, context);
    return;
  }
  const role = defaultRole(affiliation, room.kind);
  if (role === 'none') {
    evict(engine, room, occupant, MucStatus.RemovedByAffiliationChange, affiliation, context);
    return;
  }
  const before = occupant.role;
  if (downgrade || ROLE_RANK[role] > ROLE_RANK[occupant.role]) occupant.role = role;
  broadcastPresence(room, occupant, { ...(context.actor ? { actor: context.actor } : {}), ...(context.reason !== undefined ? { reason: context.reason } : {}) });
  notifyRoleChanged(engine, room, occupant, before, context);
}

/**
 * Applies the change to the room's lists and its present occupants; returns whether the
 * affiliation changed. Persisting is the caller's (a batch is stored once).
 */
export function applyAffiliationChange(engine: MucEngine, room: ChatRoom, user: Jid, affiliation: Affiliation, context: ChangeContext): boolean {
  const bare = user.bare();
  const before = room.affiliationOf(bare);
  room.setAffiliation(bare, affiliation);
  const downgrade = AFFILIATION_RANK[affiliation] < AFFILIATION_RANK[before];
  const present = room.occupantsOf(bare);
  for (const occupant of present) updateOccupant(engine, room, occupant, affiliation, downgrade, context);
  if (before === affiliation) return false;
  if (present.length === 0) sendAbsentAffiliationNotice(room, bare, affiliation, context.reason);
  engine.hooks.notify('muc-affiliation-changed', {
    room: room.view, jid: bare, affiliation, previous: before, actor: context.actor?.jid, reason: context.reason,
  });
  return true;
}
