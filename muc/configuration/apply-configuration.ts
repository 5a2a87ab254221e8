/**
 * Putting a new room configuration into effect, whoever asked for it (an owner's form, XEP-0045
 * §10.1–§10.2, or the service API): the room is unlocked, occupants get the status codes of
 * §10.2.1 (104, 170–173), occupants without affiliation leave a room that became members-only
 * (322), and `muc-room-configured` names the changed fields. Storing the room is the caller's.
 */
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { evictOccupant } from '../joining/occupant-leave.js';
import { unlockRoom } from '../joining/room-locking.js';
import { sendRoomStatus } from '../delivery/room-status.js';
import { MucStatus } from '../rooms/status-codes.js';
import { configChangeStatusCodes, diffConfig, type RoomConfig } from './room-config.js';

/** §10.2: occupants without affiliation leave a room that became members-only (status 322). */
function removeNonMembers(engine: MucEngine, room: ChatRoom): void {
  for (const occupant of [...room.occupants()]) {
    if (room.affiliationOf(occupant.bareJid) !== 'none') continue;
    evictOccupant(engine, room, occupant, { codes: [MucStatus.RemovedByMembersOnly], reason: 'members-only' });
  }
}

/** Applies `config` to the room and tells occupants and hooks; `actor` is the owner's real JID. */
export function applyConfiguration(engine: MucEngine, room: ChatRoom, config: RoomConfig, actor: Jid | undefined): void {
  const changes = diffConfig(room.config, config);
  const wasMembersOnly = room.config.membersonly;
  room.setConfig(config);
  unlockRoom(room);
  const codes = configChangeStatusCodes(changes);
  if (codes.length > 0) sendRoomStatus(room, codes);
  if (!wasMembersOnly && config.membersonly) removeNonMembers(engine, room);
  const changed = changes.map((change) => change.field);
  engine.ctx.logger.info({ room: room.address, changes: changed }, 'room configured');
  if (changed.length > 0) engine.hooks.notify('muc-room-configured', { room: room.view, changed, actor: actor?.bare() });
}
