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
import type { Affiliation } from './rooms/roles-affiliations.js';
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
  /** Destroys a room (XEP-0045 §10.9); resolves once its record is gone. */
  destroy(room: Jid | string, options?: DestroyRoomOptions): Promise<Result<void, RoomNotFound>>;
}

/** The key the `muc` module provides its `MucService` under, on its own host. */
export const mucServiceKey: ServiceKey<MucService> = serviceKey<MucService>('muc');
