/**
 * Room locking (XEP-0045 §10.1.1, Prosody's `muc_room_locking`): a room created by a MUC-aware join
 * stays locked, admitting only its owners (others get <item-not-found/>), until an owner submits a
 * configuration (or accepts the instant room). A room still locked after `muc_room_lock_timeout`
 * seconds is destroyed.
 */
import { StanzaError } from '../../server/errors/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { JoinCheck } from './join-checks.js';
import type { MucEngine } from '../muc-engine.js';
import { destroyRoom } from '../configuration/room-destroy.js';

/** Join rule: a locked room admits owners only. */
export const lockCheck: JoinCheck = ({ room, affiliation }) => {
  if (!room.locked || affiliation === 'owner') return undefined;
  return StanzaError.cancel('item-not-found', { text: 'This room is locked until its owner configures it', by: room.address });
};

/** Locks a new room and starts its configuration deadline. */
export function lockRoom(engine: MucEngine, room: ChatRoom): void {
  room.locked = true;
  if (room.lockTimer !== undefined) clearTimeout(room.lockTimer);
  room.lockTimer = engine.ctx.setTimeout(() => {
    room.lockTimer = undefined;
    if (!room.locked || !room.registered) return;
    engine.ctx.logger.info({ room: room.address }, 'room was not configured in time');
    void destroyRoom(engine, room, { cause: 'lock-timeout', reason: 'The room was not configured in time' });
  }, engine.options.muc_room_lock_timeout * 1000);
}

/** Unlocks a room once an owner configured it. */
export function unlockRoom(room: ChatRoom): void {
  room.locked = false;
  if (room.lockTimer !== undefined) clearTimeout(room.lockTimer);
  room.lockTimer = undefined;
}
