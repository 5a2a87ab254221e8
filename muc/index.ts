/**
 * The MUC room engine's public API (XEP-0045): what other folders use and nothing more. The module
 * definition (for the module catalog), the service handle other modules reach through
 * `mucServiceKey`, the hook payloads plugins handle, and the room vocabulary of the service API,
 * the package's types and the fixture file. Tests of the engine's parts import the internal files.
 */
export { mucModule } from './muc-module.js';
export { mucMamModule } from './archive/muc-mam-module.js';
export { mucModerationModule } from './moderation/muc-moderation-module.js';
export { mucServiceKey } from './muc-service.js';
export type {
  AffiliationBatchProblem, AffiliationChange, AffiliationOptions, CreateRoomOptions, CreateRoomProblem, DestroyRoomOptions,
  InviteOptions, KickOptions, MucService, PostMessageOptions, RoleOptions, RoomNotFound, ServiceActor,
} from './muc-service.js';
export type {
  AffiliationEntry, Occupant, OccupantPreJoinEvent, RegisterPreEvent, Room,
} from './events.js';
export { AFFILIATIONS } from './rooms/roles-affiliations.js';
export type { Affiliation, Role } from './rooms/roles-affiliations.js';
export { validateNickname } from './joining/nickname.js';
export type { AllowPm, BroadcastRole, RoomConfig, Whois } from './configuration/room-config.js';
export { partialRoomConfigSchema, roomConfigShape } from './configuration/room-config-schema.js';
export { declaredRoomsSchema } from './declared-rooms/declared-room-schema.js';
export type { DeclaredRoom } from './declared-rooms/declared-room-schema.js';
