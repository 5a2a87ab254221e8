/**
 * The MUC room engine's public API (XEP-0045). Other folders import only this file.
 */
export {
  AFFILIATIONS, AFFILIATION_PRIVILEGES, AFFILIATION_RANK, ROLES, ROLE_PRIVILEGES, ROLE_RANK,
  defaultRole, hasAffiliationPrivilege, hasRolePrivilege, isAdminOrOwner, isAffiliation, isGranted, isRole,
} from './roles-affiliations.js';
export type {
  Affiliation, AffiliationPrivilege, Grant, Role, RolePrivilege, RoomKind,
} from './roles-affiliations.js';
export { canChangeRole } from './role-changes.js';
export type { RoleHolder } from './role-changes.js';
export { canChangeAffiliation } from './affiliation-changes.js';
export type { AffiliationChangeContext } from './affiliation-changes.js';
export {
  canChangeSubject, canInvite, canSeeRealJids, canSendGroupchat, canSendPrivateMessage,
} from './occupant-permissions.js';
export type { OccupantStanding } from './occupant-permissions.js';
export { MAX_NICKNAME_BYTES, nicknameKey, sameNickname, validateNickname } from './nickname.js';
export {
  ALLOW_PM_VALUES, BROADCAST_ROLES, DEFAULT_MAX_HISTORY, DEFAULT_ROOM_CONFIG, MAX_USERS_CHOICES, REDACTED,
  WHOIS_VALUES, configChangeStatusCodes, defaultRoomConfig, diffConfig, isNonAnonymous, isPasswordProtected,
} from './room-config.js';
export type { AllowPm, BroadcastRole, ConfigChange, ConfigField, RoomConfig, Whois } from './room-config.js';
export { CONFIG_FIELD_VARS, MAX_HISTORY_FETCH_VAR, configForm } from './config-form.js';
export type { ConfigFormOptions } from './config-form.js';
export { applyConfigSubmit } from './config-submit.js';
export type { ConfigSubmitOptions, ConfigSubmitOutcome, ConfigSubmitResult } from './config-submit.js';
export { booleanValue, dataForm, formTypeField, formTypeOf, readFormFields } from './data-form.js';
export type { FieldOption, FieldSpec, FieldType, FormSpec, FormType, SubmittedFields } from './data-form.js';
export {
  DEFAULT_MAX_HISTORY_BYTES, HistoryBuffer, delayElement, effectiveHistoryLength, isHistoryWorthy, parseHistoryRequest, selectHistory,
} from './history.js';
export type { HistoryContext, HistoryEntry, HistoryRequest } from './history.js';
export { formatDateTime, parseDateTime } from './date-time.js';
export { MUC_STATUS_CODES, MucStatus, isMucStatusCode, statusElement } from './status-codes.js';
export type { MucStatusCode, MucStatusName } from './status-codes.js';
export {
  ROOM_PROTOCOL_FEATURES, roomDiscoFeatures, roomDiscoInfo, roomDisplayName, roomInfoForm,
} from './room-info.js';
export type { RoomState } from './room-info.js';
export { mucModule } from './muc-module.js';
export { mucOptionShape } from './options.js';
export type { MucOptions } from './options.js';
export { mucServiceKey } from './muc-service.js';
export type {
  AffiliationOptions, CreateRoomOptions, CreateRoomProblem, DestroyRoomOptions, KickOptions, MucService, RoomNotFound,
  ServiceActor,
} from './muc-service.js';
export type {
  AffiliationEntry, DestroyCause, JoinKind, LeaveReason, Occupant, OccupantChange, OccupantPreChangeEvent,
  OccupantPreJoinEvent, RegisterPreEvent, Room, RoomPreCreateEvent,
} from './events.js';
export { roomConfigShape } from './room-config-schema.js';
