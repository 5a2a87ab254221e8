/** `MucService.kick`: removes an occupant by nickname with status 307 (XEP-0045 §8.2). */
import { err, ok, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import type { KickOptions, RoomNotFound } from '../muc-service.js';
import { validateNickname } from '../joining/nickname.js';
import { evictOccupant } from '../joining/occupant-leave.js';
import { MucStatus } from '../rooms/status-codes.js';
import { actorInfo, findRoom } from './service-room.js';

export function kick(engine: MucEngine, address: Jid | string, nick: string, options: KickOptions): Result<void, RoomNotFound | 'nick-not-found'> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const prepared = validateNickname(nick);
  const occupant = prepared.ok ? room.occupantByNick(prepared.value) : undefined;
  if (occupant === undefined) return err('nick-not-found');
  const info = actorInfo(options.actor);
  evictOccupant(engine, room, occupant, {
    codes: [MucStatus.Kicked], reason: 'kicked',
    ...(info !== undefined ? { actor: info } : {}),
    ...(options.reason !== undefined && options.reason !== '' ? { text: options.reason } : {}),
  });
  engine.ctx.logger.info({ room: room.address, nick: occupant.nick }, 'occupant kicked by the service');
  return ok(undefined);
}
