/**
 * The programmatic API of a MUC service, offered to other modules on the service's host under
 * `mucServiceKey` (the HTTP kick plugin uses it). Actions taken here are the service's own: they
 * are not subject to occupants' permissions and fire no `pre-` hooks, but occupants are told
 * exactly as for the XEP-0045 equivalent, and `muc-occupant-left` / `muc-room-destroyed` fire.
 * Expected failures are typed values.
 */
import { serviceKey, type ServiceKey } from '../server/modules/index.js';
import type { Result } from '../server/errors/index.js';
import type { Jid } from '../server/jid/index.js';
import type { Occupant, Room } from './events.js';
import type { Affiliation, Role } from './rooms/roles-affiliations.js';
import type { RoomConfig } from './configuration/room-config.js';

/** The error of every call naming a room this service does not have. */
export type RoomNotFound = 'room-not-found';

/** Who performed an action; omit (or leave both empty) for the service itself: no `<actor/>`. */
export interface ServiceActor {
  readonly nick?: string;
  readonly jid?: Jid;
}

/** Options of `MucService.kick`. */
export interface KickOptions {
  /** The `<reason/>` text; none is sent when absent or empty. */
  readonly reason?: string;
  readonly actor?: ServiceActor;
}

/** Options of `MucService.setAffiliation`. */
export interface AffiliationOptions {
  readonly reason?: string;
  readonly actor?: ServiceActor;
}

/** Options of `MucService.destroy`. */
export interface DestroyRoomOptions {
  readonly reason?: string;
  /** An alternate venue for the occupants (XEP-0045 §10.9). */
  readonly alternate?: Jid;
}

/** Options of `MucService.createRoom`. */
export interface CreateRoomOptions {
  /** Configuration over the service's defaults (`muc_room_default_*`). */
  readonly config?: Partial<RoomConfig>;
  /** Bare JID → affiliation; `none` entries are ignored. A room needs no owner to exist. */
  readonly affiliations?: Readonly<Record<string, Affiliation>>;
  /** The subject joining occupants receive (XEP-0045 §7.2.15), set by the room itself. */
  readonly subject?: string;
}

/** Why `MucService.createRoom` made no room. */
export type CreateRoomProblem = 'invalid-jid' | 'room-exists' | 'invalid-affiliation' | 'invalid-config';

/** Options of `MucService.setRole`. */
export interface RoleOptions {
  readonly reason?: string;
  readonly actor?: ServiceActor;
}

/** One change of `MucService.setAffiliations`. */
export interface AffiliationChange {
  readonly jid: Jid | string;
  readonly affiliation: Affiliation;
  readonly reason?: string;
}

/**
 * Why `MucService.setAffiliations` changed nothing: the first entry at fault, by its index.
 * `invalid-affiliation`: not one of the five; `affiliation-limit`: the batch would grow the room's
 * lists past `muc_max_affiliations` (shrinking is always allowed).
 */
export interface AffiliationBatchProblem {
  readonly problem: 'invalid-jid' | 'invalid-affiliation' | 'last-owner' | 'duplicate-jid' | 'affiliation-limit';
  readonly index: number;
}

/** Options of `MucService.postMessage`. */
export interface PostMessageOptions {
  /**
   * Post as this nickname (`room@service/nick`), e.g. a system nick. It need not be an occupant's,
   * but must not be one in use. Without it the message comes from the room's bare JID.
   */
  readonly nick?: string;
  /** The stanza id; a fresh one when absent. */
  readonly id?: string;
}

/** Options of `MucService.invite`. */
export interface InviteOptions {
  readonly reason?: string;
  /** Who the invitation says it is from; the room itself when absent. */
  readonly from?: Jid | string;
  /** Make the invitee a member first when the room is members-only (as XEP-0045 §7.8.2 lets an admin). */
  readonly addMember?: boolean;
}

/** What other modules may do with a MUC service (see the file comment). */
export interface MucService {
  /** The service's domain. */
  readonly domain: string;
  /**
   * `muc_hook_deadline` in milliseconds: how long a `muc-*-pre-*` handler (an external authorizer)
   * may take before the action fails closed. A plugin that waits on something slower never answers.
   */
  readonly hookDeadlineMs: number;
  /** A room by bare JID (string or Jid, normalised); undefined when it does not exist here. */
  room(jid: Jid | string): Room | undefined;
  rooms(): readonly Room[];
  occupants(room: Jid | string): Result<readonly Occupant[], RoomNotFound>;
  /**
   * Kicks the occupant using exactly `nick` (after the nickname preparation joins apply): all of
   * its sessions get unavailable presence with role none and statuses 307 + 110; the others 307.
   */
  kick(room: Jid | string, nick: string, options?: KickOptions): Result<void, RoomNotFound | 'nick-not-found'>;
  /** Changes a user's affiliation (an outcast is banned, status 301); resolves once stored. */
  setAffiliation(
    room: Jid | string, user: Jid | string, affiliation: Affiliation, options?: AffiliationOptions,
  ): Promise<Result<void, RoomNotFound | 'invalid-jid' | 'last-owner'>>;
  /**
   * Creates a room on this service, unlocked and ready for joins, with its configuration,
   * affiliations and subject; resolves once a persistent room is stored.
   */
  createRoom(room: Jid | string, options?: CreateRoomOptions): Promise<Result<Room, CreateRoomProblem>>;
  /**
   * Changes an occupant's role (XEP-0045 §8.4-§8.6, §9.6-§9.7); role `none` is a kick. Every
   * occupant is told exactly as for the admin iq; `muc-occupant-role-changed` fires.
   */
  setRole(room: Jid | string, nick: string, role: Role, options?: RoleOptions): Result<void, RoomNotFound | 'nick-not-found' | 'not-allowed'>;
  /**
   * Changes many affiliations of one room at once (XEP-0045 §9-§10 semantics per entry,
   * `muc-affiliation-changed` per changed entry): all or nothing, checked first, stored in one
   * write; present users get their new presence, and the notifications XEP-0045 requires go out.
   * Resolves to the number of entries that changed anything.
   */
  setAffiliations(
    room: Jid | string, changes: readonly AffiliationChange[], options?: { readonly actor?: ServiceActor },
  ): Promise<Result<number, RoomNotFound | AffiliationBatchProblem>>;
  /**
   * Changes the configuration as an owner's form submission would (the keys given only): status
   * codes 104/170/171/172/173 to occupants, members-only kicking non-members, a room made
   * non-persistent removed from storage when empty. Fires `muc-room-configured`; resolves once stored.
   */
  configure(
    room: Jid | string, changes: Partial<RoomConfig>, options?: { readonly actor?: ServiceActor },
  ): Promise<Result<Room, RoomNotFound | 'invalid-config'>>;
  /** Sends a groupchat message with this body to every occupant (archived and kept in history as any other). */
  postMessage(room: Jid | string, body: string, options?: PostMessageOptions): Result<{ readonly id: string }, RoomNotFound | 'nick-in-use' | 'invalid-nick'>;
  /** Sends a mediated invitation (XEP-0045 §7.8.2) from the room to a user. */
  invite(room: Jid | string, invitee: Jid | string, options?: InviteOptions): Promise<Result<void, RoomNotFound | 'invalid-jid'>>;
  /** Destroys a room (XEP-0045 §10.9); resolves once its record is gone. */
  destroy(room: Jid | string, options?: DestroyRoomOptions): Promise<Result<void, RoomNotFound>>;
}

/** The key the `muc` module provides its `MucService` under, on its own host. */
export const mucServiceKey: ServiceKey<MucService> = serviceKey<MucService>('muc');
