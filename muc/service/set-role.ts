/**
 * `MucService.setRole`: the service changes an occupant's role as a room owner could (XEP-0045
 * §8.2–§8.4, §9.6, §9.7), through the same code as the `muc#admin` iq, so occupants are told the
 * same and `muc-occupant-role-changed` fires. The one thing it may not do is what nobody may:
 * §8.4 "MUST NOT allow the voice privileges of an admin or owner to be removed by anyone".
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import type { RoleOptions, RoomNotFound } from '../muc-service.js';
import { validateNickname } from '../joining/nickname.js';
import { applyRoleChange } from '../moderation/apply-role-change.js';
import { isAdminOrOwner, isRole, type Role } from '../rooms/roles-affiliations.js';
import { changeContext, findRoom } from './service-room.js';

export function setRole(
  engine: MucEngine, address: Jid | string, nick: string, role: Role, options: RoleOptions,
): Result<void, RoomNotFound | 'nick-not-found' | 'not-allowed'> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const prepared = validateNickname(nick);
  const occupant = prepared.ok ? room.occupantByNick(prepared.value) : undefined;
  if (occupant === undefined) return err('nick-not-found');
  if (!isRole(role)) return err('not-allowed');
  if (role === 'visitor' && isAdminOrOwner(room.affiliationOf(occupant.bareJid))) return err('not-allowed');
  applyRoleChange(engine, room, occupant, role, changeContext(options.actor, options.reason));
  engine.ctx.logger.info({ room: room.address, nick: occupant.nick, role }, 'occupant role set by the service');
  return ok(undefined);
}
