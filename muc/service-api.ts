/** The `MucService` implementation over a running engine (see `muc-service.ts`). */
import { err, ok, type Result } from '../server/errors/index.js';
import { toJid, type Jid } from '../server/jid/index.js';
import { applyAffiliationChange } from './moderation/apply-affiliation-change.js';
import type { ChatRoom } from './rooms/chat-room.js';
import type { Occupant, Room } from './events.js';
import type { MucEngine } from './muc-engine.js';
import type { MucService, RoomNotFound, ServiceActor } from './muc-service.js';
import { validateNickname } from './joining/nickname.js';
import { evictOccupant } from './joining/occupant-leave.js';
import type { ActorInfo } from './delivery/occupant-presence.js';
import { destroyRoom } from './configuration/room-destroy.js';
import { createServiceRoom } from './service-create-room.js';
import type { Affiliation } from './rooms/roles-affiliations.js';
import { MucStatus } from './rooms/status-codes.js';

function findRoom(engine: MucEngine, address: Jid | string): ChatRoom | undefined {
  const jid = toJid(address);
  if (jid === undefined || !jid.isBare || jid.local === '' || jid.domain !== engine.domain) return undefined;
  return engine.rooms.get(jid);
}

function actorInfo(actor: ServiceActor | undefined): ActorInfo | undefined {
  if (actor === undefined || (actor.nick === undefined && actor.jid === undefined)) return undefined;
  return actor;
}

function kick(engine: MucEngine, address: Jid | string, nick: string, reason: string | undefined, actor: ServiceActor | undefined): Result<void, RoomNotFound | 'nick-not-found'> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const prepared = validateNickname(nick);
  const occupant = prepared.ok ? room.occupantByNick(prepared.value) : undefined;
  if (occupant === undefined) return err('nick-not-found');
  const info = actorInfo(actor);
  evictOccupant(engine, room, occupant, {
    codes: [MucStatus.Kicked], reason: 'kicked',
    ...(info !== undefined ? { actor: info } : {}),
    ...(reason !== undefined && reason !== '' ? { text: reason } : {}),
  });
  engine.ctx.logger.info({ room: room.address, nick: occupant.nick }, 'occupant kicked by the service');
  return ok(undefined);
}

async function setAffiliation(
  engine: MucEngine, address: Jid | string, userAddress: Jid | string, affiliation: Affiliation, reason: string | undefined, actor: ServiceActor | undefined,
): Promise<Result<void, RoomNotFound | 'invalid-jid' | 'last-owner'>> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const user = toJid(userAddress)?.bare();
  if (user === undefined) return err('invalid-jid');
  if (room.affiliationOf(user) === 'owner' && affiliation !== 'owner' && room.ownerCount() <= 1) return err('last-owner');
  const info = actorInfo(actor);
  applyAffiliationChange(engine, room, user, affiliation, { ...(info ? { actor: info } : {}), ...(reason !== undefined ? { reason } : {}) });
  await engine.persist(room);
  return ok(undefined);
}

/** The `MucService` of a running engine. */
export function createMucService(engine: MucEngine): MucService {
  return {
    domain: engine.domain,
    hookDeadlineMs: engine.deadlineMs,
    room: (jid): Room | undefined => findRoom(engine, jid)?.view,
    rooms: (): readonly Room[] => [...engine.rooms.all()].map((room) => room.view),
    occupants: (jid): Result<readonly Occupant[], RoomNotFound> => {
      const room = findRoom(engine, jid);
      return room === undefined ? err('room-not-found') : ok(room.view.occupants());
    },
    kick: (room, nick, options = {}) => kick(engine, room, nick, options.reason, options.actor),
    setAffiliation: (room, user, affiliation, options = {}) => setAffiliation(engine, room, user, affiliation, options.reason, options.actor),
    createRoom: (room, options = {}) => createServiceRoom(engine, room, options),
    destroy: async (address, options = {}) => {
      const room = findRoom(engine, address);
      if (room === undefined) return err('room-not-found');
      await destroyRoom(engine, room, {
        cause: 'destroyed',
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
        ...(options.alternate !== undefined ? { alternate: options.alternate } : {}),
      });
      return ok(undefined);
    },
  };
}
