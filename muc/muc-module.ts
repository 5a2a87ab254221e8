/**
 * The `muc` component module (Prosody's mod_muc): a XEP-0045 multi-user chat service on a
 * `Component(name, 'muc')` host. It loads the persistent rooms, assembles the engine from its
 * feature files and offers the `MucService` API.
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
import { registerServiceDisco } from './discovery/service-disco.js';

/** The `muc` module definition, listed in the composition root's module catalog. */
export const mucModule = defineModule({
  name: 'muc',
  description: 'Multi-user chat rooms (XEP-0045)',
  hostKinds: ['component'],
  componentTypes: ['muc'],
  options: mucOptionShape,
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
    ctx.provide(mucServiceKey, createMucService(engine));
    ctx.provide(mucEngineKey, engine);
    ctx.onUnload(() => {
      for (const room of engine.rooms.all()) if (room.lockTimer !== undefined) clearTimeout(room.lockTimer);
    });
  },
});
