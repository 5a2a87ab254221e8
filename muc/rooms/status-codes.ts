/**
 * MUC status codes (`<status code='…'/>` in the `muc#user` namespace), XEP-0045 §12 and the
 * Status Codes Registry of §16.6 (#registrar-statuscodes). Each constant names the section that
 * defines its use.
 */
import { Element } from 'ltx';

export const MucStatus = {
  /** §7.2.3 (#enter-nonanon): any occupant may see the user's full JID (non-anonymous room). */
  NonAnonymous: 100,
  /** §18.1 (#impl-service, note 2): the user's affiliation changed while not in the room. */
  AffiliationChangedWhileAway: 101,
  /** §16.6.2 (registry only): the room now shows unavailable members. */
  ShowsUnavailableMembers: 102,
  /** §16.6.2 (registry only): the room no longer shows unavailable members. */
  HidesUnavailableMembers: 103,
  /** §10.2.1 (#roomconfig-notify): a non-privacy-related configuration change. */
  ConfigurationChanged: 104,
  /** §7.2.2 (#enter-pres): this presence refers to the recipient itself ("self-presence"). */
  SelfPresence: 110,
  /** §7.2.12 (#enter-logging), §10.2.1: room logging is enabled. */
  LoggingEnabled: 170,
  /** §10.2.1: room logging is now disabled. */
  LoggingDisabled: 171,
  /** §10.2.1: the room is now non-anonymous. */
  NowNonAnonymous: 172,
  /** §10.2.1: the room is now semi-anonymous. */
  NowSemiAnonymous: 173,
  /**
   * The room is now fully anonymous. Registered before v1.25, which removed fully-anonymous rooms;
   * kept so that the number is never reused, never sent by this server.
   */
  NowFullyAnonymous: 174,
  /** §10.1.1 (#createroom-general): a new room has been created (and is locked). */
  RoomCreated: 201,
  /** §7.2.2 (#enter-pres), §7.6 (#changenick): the service assigned or modified the roomnick. */
  NickAssigned: 210,
  /** §9.1 (#ban): the user has been banned. */
  Banned: 301,
  /** §7.6 (#changenick): the occupant changed nickname (sent with the unavailable presence). */
  NickChanged: 303,
  /** §8.2 (#kick): the occupant has been kicked. */
  Kicked: 307,
  /** §9.4 (#revokemember): removed because of an affiliation change (members-only room). */
  RemovedByAffiliationChange: 321,
  /** §10.2 (#roomconfig): removed because the room became members-only. */
  RemovedByMembersOnly: 322,
  /** §11.2 (#service-shutdown-kick): removed because the MUC service is shutting down. */
  RemovedByShutdown: 332,
  /** §11.1 (#service-error-kick): removed because of an error reply (technical problem). */
  RemovedByError: 333,
} as const;

export type MucStatusName = keyof typeof MucStatus;
export type MucStatusCode = (typeof MucStatus)[MucStatusName];

/** Every status code, ascending. */
export const MUC_STATUS_CODES: readonly MucStatusCode[] = Object.values(MucStatus).sort((a, b) => a - b);

export function isMucStatusCode(value: number): value is MucStatusCode {
  return (MUC_STATUS_CODES as readonly number[]).includes(value);
}

/** `<status code='…'/>`, to be placed inside an `<x xmlns='http://jabber.org/protocol/muc#user'/>`. */
export function statusElement(code: MucStatusCode): Element {
  return new Element('status', { code: String(code) });
}
