/**
 * The `MucService` implementation over a running engine (see `muc-service.ts`). Each call lives
 * in its own file under `muc/service/`; this file only assembles them.
 */
import { err, ok, type Result } from '../server/errors/index.js';
import type { Occupant, Room } from './events.js';
import type { MucEngine } from './muc-engine.js';
import type { MucService, RoomNotFound } from './muc-service.js';
import { destroyRoom } from './configuration/room-destroy.js';
import { createServiceRoom } from './service-create-room.js';
import { configure } from './service/configure.js';
import { invite } from './service/invite.js';
import { kick } from './service/kick.js';
import { postMessage } from './service/post-message.js';
import { findRoom } from './service/service-room.js';
import { setAffiliation, setAffiliations } from './service/set-affiliations.js';
import { setRole } from './service/set-role.js';

/** The `MucService` of a running engine. */
export function createMucService(engine: MucEngine): MucService {
  return {
    domain: engine.domain,
    get hookDeadlineMs() {
      return engine.deadlineMs;
    },
    room: (jid): Room | undefined => findRoom(engine, jid)?.view,
    rooms: (): readonly Room[] => [...engine.rooms.all()].map((room) => room.view),
    occupants: (jid): Result<readonly Occupant[], RoomNotFound> => {
      const room = findRoom(engine, jid);
      return room === undefined ? err('room-not-found') : ok(room.view.occupants());
    },
    kick: (room, nick, options = {}) => kick(engine, room, nick, options),
    setAffiliation: (room, user, affiliation, options = {}) => setAffiliation(engine, room, user, affiliation, options),
    setAffiliations: (room, changes, options = {}) => setAffiliations(engine, room, changes, options.actor),
    setRole: (room, nick, role, options = {}) => setRole(engine, room, nick, role, options),
    configure: (room, changes, options = {}) => configure(engine, room, changes, options.actor),
    postMessage: (room, body, options = {}) => postMessage(engine, room, body, options),
    invite: (room, invitee, options = {}) => invite(engine, room, invitee, options),
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
