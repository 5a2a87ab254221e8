/**
 * The failures of the rooms, occupants, affiliations and messages operations: their stable codes
 * with their statuses in one table (which the OpenAPI document reads through
 * `roomFailureStatuses`), and one constructor per code, so that every operation says the same
 * thing the same way. The codes are a contract with backends: never rename one.
 */
import type { AdminFailure } from '../admin-operation.js';

export const ROOM_FAILURE_STATUSES = {
  'invalid-jid': 400,
  'muc-service-not-found': 404,
  'room-not-found': 404,
  'room-exists': 409,
  'invalid-config': 400,
  'nick-not-found': 404,
  'occupant-not-found': 404,
  'role-not-allowed': 409,
  'last-owner': 409,
  'duplicate-jid': 400,
  'invalid-affiliation': 400,
  'affiliation-limit': 422,
  'nick-in-use': 409,
  'invalid-nick': 400,
  'host-not-found': 404,
  'user-not-found': 404,
  'invalid-from': 400,
} as const satisfies Record<string, AdminFailure['status']>;

export type RoomFailureCode = keyof typeof ROOM_FAILURE_STATUSES;

function failure(code: RoomFailureCode, message: string, details?: unknown): AdminFailure {
  return { status: ROOM_FAILURE_STATUSES[code], code, message, ...(details === undefined ? {} : { details }) };
}

const quoted = (text: string) => JSON.stringify(text);

export const roomFailures = {
  invalidJid: (what: string, details?: unknown) => failure('invalid-jid', `${what} is not a valid JID`, details),
  mucServiceNotFound: (domain: string | undefined) =>
    failure('muc-service-not-found', domain === undefined ? 'this server has no MUC service' : `${domain} is not a MUC service of this server`),
  roomNotFound: (room: string) => failure('room-not-found', `no room ${room}`),
  roomExists: (room: string, differing: readonly string[]) =>
    failure('room-exists', `room ${room} exists with a different state`, { differing }),
  invalidConfig: () => failure('invalid-config', 'the configuration has a value a room cannot have'),
  nickNotFound: (nick: string) => failure('nick-not-found', `no occupant uses the nickname ${quoted(nick)}`),
  occupantNotFound: (jid: string) => failure('occupant-not-found', `${jid} is not in the room`),
  roleNotAllowed: (nick: string) =>
    failure('role-not-allowed', `the role of ${quoted(nick)} cannot be changed so (XEP-0045: admins and owners stay moderators)`),
  lastOwner: (index: number) => failure('last-owner', `entry ${index} would leave the room without an owner`, { index }),
  duplicateJid: (index: number) => failure('duplicate-jid', `entry ${index} names a user an earlier entry names`, { index }),
  invalidAffiliation: (index: number) => failure('invalid-affiliation', `entry ${index} has no valid affiliation`, { index }),
  affiliationLimit: (index: number) =>
    failure('affiliation-limit', `entry ${index} would grow the room's affiliation lists past muc_max_affiliations`, { index }),
  nickInUse: (nick: string) => failure('nick-in-use', `an occupant uses the nickname ${quoted(nick)}`),
  invalidNick: (nick: string) => failure('invalid-nick', `${quoted(nick)} is not a valid room nickname`),
  hostNotFound: (domain: string) => failure('host-not-found', `${domain} is not a VirtualHost of this server`),
  userNotFound: (jid: string) => failure('user-not-found', `no account ${jid}`),
  invalidFrom: (from: string, host: string) => failure('invalid-from', `${from} is neither ${host} nor a JID of ${host}`),
} as const;
