/**
 * The `muc` component module (Prosody's mod_muc): a XEP-0045 multi-user chat service on a
 * `Component(name, 'muc')` host. It loads the persistent rooms, assembles the engine from its
 * feature files, offers the `MucService` API and reconciles the rooms the config declares
 * (`muc_rooms`). It is stateful: a config reload never unloads it (rooms and occupants would be
 * lost) but calls `reconfigure`, which applies the new options in place.
 */
import { defineModule } from '../server/modules/index.js';
import { registerAdminQueries } from './moderation/admin-queries.js';
import { banCheck, maxUsersCheck, membersOnlyCheck, nickConflictCheck } from './joining/join-checks.js';
import { registerMessageHandlers } from './delivery/message-dispatch.js';
import { MucEngine, mucEngineKey } from './muc-engine.js';
import { mucServiceKey } from './muc-service.js';
import { loadOccupantIdSecret, OccupantIds } from './rooms/occupant-ids.js';
import { registerOccupantIq } from './delivery/occupant-iq.js';
import { mucOptionShape } from './options.js';
import { registerOwnerQueries } from './configuration/owner-queries.js';
import { registerPresenceHandlers } from './delivery/presence-dispatch.js';
import { registerRoomDisco } from './discovery/room-disco.js';
import { lockCheck } from './joining/room-locking.js';
import { passwordCheck } from './joining/room-password.js';
import { loadPersistentRooms } from './rooms/room-loading.js';
import { registerRoomRegistration } from './configuration/room-registration.js';
import { ROOM_STORE, RoomStore } from './rooms/room-store.js';
import { createMucService } from './service-api.js';
import { applyDeclaredRooms } from './declared-rooms/declared-rooms.js';
import { checkDeclaredRoomNames } from './declared-rooms/declared-room-plan.js';
import { reconfigureMuc } from './declared-rooms/reconfigure.js';
import { registerServiceDisco } from './discovery/service-disco.js';

/** The `muc` module definition, listed in the composition root's module catalog. */
export const mucModule = defineModule({
  name: 'muc',
  description: 'Multi-user chat rooms (XEP-0045)',
  hostKinds: ['component'],
  componentTypes: ['muc'],
  options: mucOptionShape,
  stateful: true,
  validate(options) {
    const problem = checkDeclaredRoomNames(options.muc_rooms);
    return problem === undefined ? undefined : `muc_rooms: ${problem}`;
  },
  reconfigure: (ctx, options) => reconfigureMuc(ctx, options),
  async load(ctx) {
    const secret = await loadOccupantIdSecret(ctx.storage<string>('muc_service'));
    const engine = new MucEngine(ctx, new OccupantIds(secret), new RoomStore(ctx.storage<unknown>(ROOM_STORE), ctx.logger));
    // XEP-0045 §7.2 error order: ban, members-only, password, occupant limit, lock, nickname.
    engine.joinChecks.push(banCheck, membersOnlyCheck, passwordCheck, maxUsersCheck, lockCheck, nickConflictCheck);
    await loadPersistentRooms(engine);
    registerServiceDisco(engine);
    registerRoomDisco(engine);
    registerPresenceHandlers(engine);
    registerMessageHandlers(engine);
    registerOccupantIq(engine);
    registerAdminQueries(engine);
    registerOwnerQueries(engine);
    registerRoomRegistration(engine);
    const service = createMucService(engine);
    ctx.provide(mucServiceKey, service);
    ctx.provide(mucEngineKey, engine);
    await applyDeclaredRooms(engine, service, engine.options);
    ctx.onUnload(() => {
      for (const room of engine.rooms.all()) if (room.lockTimer !== undefined) clearTimeout(room.lockTimer);
    });
  },
});
