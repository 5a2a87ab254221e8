/**
 * `muc/rooms/`: the state the other folders act on. A room (`chat-room.ts`) and its occupants
 * (`room-occupant.ts`), the service's rooms by JID (`room-registry.ts`), persistence (`room-record.ts`,
 * `room-store.ts`, `room-loading.ts`), the read-only views hooks receive (`room-view.ts`), roles,
 * affiliations and what they permit (`roles-affiliations.ts`, `occupant-permissions.ts`), occupant
 * ids (XEP-0421) and the status codes every message of the engine may carry.
 *
 * The mutable state of one room: configuration, affiliations and reserved nicknames (the parts
 * that persist), occupants, history, subject and lock. Only the engine's own files touch it; hooks
 * and the service API get its read-only `view`.
 */
import { Jid } from '../../server/jid/index.js';
import { HistoryBuffer, effectiveHistoryLength } from '../delivery/history.js';
import { nicknameKey } from '../joining/nickname.js';
import type { Affiliation, RoomKind } from './roles-affiliations.js';
import type { RoomConfig } from '../configuration/room-config.js';
import type { OccupantSession, RoomOccupant } from './room-occupant.js';
import type { Room } from '../events.js';
import { RoomView } from './room-view.js';

/** Where the service keeps track of which rooms a session is in (for session ends). */
export interface SessionIndex {
  track(session: Jid, room: ChatRoom): void;
  untrack(session: Jid, room: ChatRoom): void;
}

/** The current subject and who set it. */
export interface RoomSubject {
  readonly text: string;
  /** The nickname of whoever set it; undefined when the room set it. */
  readonly nick: string | undefined;
}

/** One room's mutable state (see the file comment). */
export class ChatRoom {
  readonly jid: Jid;
  /** `jid.toString()`, cached: it is the `from` of everything the room says itself. */
  readonly address: string;
  /** Replaced, never mutated in place: views hand out frozen copies keyed by identity. */
  config: RoomConfig;
  readonly history: HistoryBuffer;
  subject: RoomSubject | undefined;
  locked = false;
  lockTimer: NodeJS.Timeout | undefined;
  /** True while the room is registered with the service (false before creation and after destruction). */
  registered = false;
  /** True when the room has a stored record. */
  stored = false;
  /**
   * The bare JID of the user whose join created the room, for `muc_max_rooms_per_user`; undefined
   * for rooms the service made and rooms stored before it was recorded. Set before registering.
   */
  creator: string | undefined;
  /** What hooks and the service API see. */
  readonly view: Room = new RoomView(this);
  readonly #affiliations = new Map<string, Exclude<Affiliation, 'none'>>();
  readonly #reservedNicks = new Map<string, string>();
  readonly #occupants = new Map<string, RoomOccupant>();
  readonly #bySession = new Map<string, RoomOccupant>();
  readonly #index: SessionIndex;
  readonly #maxHistory: number;

  /** `maxHistory` bounds the history's messages, `maxHistoryBytes` its bytes. */
  constructor(jid: Jid, config: RoomConfig, maxHistory: number, index: SessionIndex, maxHistoryBytes?: number) {
    this.jid = jid;
    this.address = jid.toString();
    this.config = config;
    this.#maxHistory = maxHistory;
    this.history = new HistoryBuffer(effectiveHistoryLength(config.historylength, maxHistory), maxHistoryBytes);
    this.#index = index;
  }

  /** Applies a new configuration (and its history length). */
  setConfig(config: RoomConfig): void {
    this.config = config;
    this.history.setCapacity(effectiveHistoryLength(config.historylength, this.#maxHistory));
  }

  /** What decides the role an affiliation enters with (XEP-0045 §5.1.2). */
  get kind(): RoomKind {
    return { moderated: this.config.moderatedroom, membersOnly: this.config.membersonly };
  }

  // ---- affiliations (XEP-0045 §5.2) ------------------------------------------------------------

  affiliationOf(jid: Jid): Affiliation {
    return this.#affiliations.get(jid.bare().toString()) ?? 'none';
  }

  /** The affiliation of a bare JID given as its string form. */
  affiliationOfBare(bare: string): Affiliation {
    return this.#affiliations.get(bare) ?? 'none';
  }

  setAffiliation(bare: Jid, affiliation: Affiliation): void {
    const key = bare.bare().toString();
    if (affiliation === 'none') this.#affiliations.delete(key);
    else this.#affiliations.set(key, affiliation);
    if (affiliation === 'none' || affiliation === 'outcast') this.#reservedNicks.delete(key);
  }

  /** How many JIDs have an affiliation (the bound is `muc_max_affiliations`). */
  get affiliationCount(): number {
    return this.#affiliations.size;
  }

  affiliationEntries(): IterableIterator<[string, Exclude<Affiliation, 'none'>]> {
    return this.#affiliations.entries();
  }

  ownerCount(): number {
    let count = 0;
    for (const affiliation of this.#affiliations.values()) if (affiliation === 'owner') count++;
    return count;
  }

  // ---- reserved nicknames (XEP-0045 §7.10, §7.12) ----------------------------------------------

  reservedNick(bare: Jid): string | undefined {
    return this.#reservedNicks.get(bare.bare().toString());
  }

  reserveNick(bare: Jid, nick: string | undefined): void {
    const key = bare.bare().toString();
    if (nick === undefined) this.#reservedNicks.delete(key);
    else this.#reservedNicks.set(key, nick);
  }

  /** The bare JID that registered a nickname (compared case-insensitively), if any. */
  nickReservedBy(nick: string): string | undefined {
    const wanted = nicknameKey(nick);
    for (const [bare, reserved] of this.#reservedNicks) if (nicknameKey(reserved) === wanted) return bare;
    return undefined;
  }

  reservedNickEntries(): IterableIterator<[string, string]> {
    return this.#reservedNicks.entries();
  }

  // ---- occupants -------------------------------------------------------------------------------

  get occupantCount(): number {
    return this.#occupants.size;
  }

  occupants(): IterableIterator<RoomOccupant> {
    return this.#occupants.values();
  }

  /** The occupant using a nickname, compared as RFC 8266 §2.3 says (for conflicts). */
  occupantByKey(nick: string): RoomOccupant | undefined {
    return this.#occupants.get(nicknameKey(nick));
  }

  /** The occupant using exactly this nickname (occupant JIDs are case-sensitive). */
  occupantByNick(nick: string): RoomOccupant | undefined {
    const occupant = this.occupantByKey(nick);
    return occupant?.nick === nick ? occupant : undefined;
  }

  occupantBySession(full: Jid): RoomOccupant | undefined {
    return this.#bySession.get(full.toString());
  }

  /** Every occupant of one user (a user may be in under several nicknames). */
  occupantsOf(bare: Jid): RoomOccupant[] {
    const wanted = bare.bare();
    return [...this.#occupants.values()].filter((occupant) => occupant.bareJid.equals(wanted));
  }

  addOccupant(occupant: RoomOccupant, first: OccupantSession): void {
    this.#occupants.set(nicknameKey(occupant.nick), occupant);
    this.addSession(occupant, first);
  }

  addSession(occupant: RoomOccupant, session: OccupantSession): void {
    occupant.sessions.set(session.jid.toString(), session);
    this.#bySession.set(session.jid.toString(), occupant);
    this.#index.track(session.jid, this);
  }

  /** Removes one session; the occupant stays while it has others. */
  removeSession(occupant: RoomOccupant, full: Jid): void {
    occupant.sessions.delete(full.toString());
    this.#bySession.delete(full.toString());
    this.#index.untrack(full, this);
  }

  /** Removes the occupant and all of its sessions. */
  removeOccupant(occupant: RoomOccupant): void {
    for (const session of [...occupant.sessions.values()]) this.removeSession(occupant, session.jid);
    if (this.#occupants.get(nicknameKey(occupant.nick)) === occupant) this.#occupants.delete(nicknameKey(occupant.nick));
  }

  /** Gives the occupant a new nickname (XEP-0045 §7.6). */
  renameOccupant(occupant: RoomOccupant, nick: string): void {
    this.#occupants.delete(nicknameKey(occupant.nick));
    occupant.nick = nick;
    occupant.jid = new Jid(this.jid.local, this.jid.domain, nick);
    this.#occupants.set(nicknameKey(nick), occupant);
  }
}
