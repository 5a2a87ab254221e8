/**
 * The room engine's hook points, declared once by augmenting the core's `HookEvents`, and the
 * read-only views of rooms and occupants their payloads carry. Handlers never see the engine's
 * mutable state: a `Room` reads the live room, an `Occupant` is a snapshot taken when the event
 * fired.
 *
 * `pre-` events are fired with a deadline (`muc_hook_deadline`) and may veto by returning a
 * `StanzaError`; the engine then answers the requester with it (`by` = the service domain when the
 * handler set none) and changes nothing. Past-tense events are notifications.
 */
import type { Element } from 'ltx';
import type { Jid } from '../server/jid/index.js';
import type { Affiliation, Role } from './rooms/roles-affiliations.js';
import type { RoomConfig } from './configuration/room-config.js';

/** An occupant as hooks see it: a frozen snapshot. */
export interface Occupant {
  /** The room nickname, as the room uses it (after RFC 8266 preparation). */
  readonly nick: string;
  /** The occupant JID, `room@service/nick`. */
  readonly jid: Jid;
  /** The user's real bare JID. */
  readonly bareJid: Jid;
  /** The real full JIDs of the user's sessions in the room under this nick. */
  readonly sessions: readonly Jid[];
  readonly role: Role;
  readonly affiliation: Affiliation;
  /** XEP-0421 occupant id: stable per room and real bare JID. */
  readonly occupantId: string;
}

/** One entry of a room's affiliation list. */
export interface AffiliationEntry {
  readonly jid: Jid;
  readonly affiliation: Exclude<Affiliation, 'none'>;
  /** The nickname the user registered with the room (XEP-0045 §7.10), if any. */
  readonly nick: string | undefined;
}

/** A room as hooks and the service API see it: read-only, always current. */
export interface Room {
  /** The room's bare JID. */
  readonly jid: Jid;
  /** False while a room is only being considered (the pre-create and pre-join of its first join). */
  readonly exists: boolean;
  readonly config: Readonly<RoomConfig>;
  /** Locked rooms (XEP-0045 §10.1.1) admit only their owners until configured. */
  readonly locked: boolean;
  readonly subject: string | undefined;
  readonly occupantCount: number;
  occupants(): readonly Occupant[];
  /** The occupant using exactly this nickname. */
  occupant(nick: string): Occupant | undefined;
  /** The affiliation of a user, by (bare or full) JID. */
  affiliation(jid: Jid): Affiliation;
  affiliations(): readonly AffiliationEntry[];
}

/** Why `muc-occupant-pre-join` fires: a new occupant, another session of one, or a nick change. */
export type JoinKind = 'join' | 'session' | 'nick-change';

/** What an occupant is about to change (`muc-occupant-pre-change`). */
export type OccupantChange =
  | { readonly kind: 'nick'; readonly nick: string }
  | { readonly kind: 'role'; readonly role: Role };

/** Why an occupant left the room. */
export type LeaveReason =
  | 'left' | 'disconnected' | 'kicked' | 'banned' | 'affiliation-changed' | 'members-only'
  | 'room-destroyed' | 'error';

/** Why a room ceased to exist. */
export type DestroyCause = 'destroyed' | 'emptied' | 'lock-timeout';

/** Payload of `muc-room-pre-create`. */
export interface RoomPreCreateEvent {
  readonly room: Room;
  /** The real full JID of the user whose join would create the room. */
  readonly creator: Jid;
  readonly stanza: Element;
}

/** Payload of `muc-occupant-pre-join`. */
export interface OccupantPreJoinEvent {
  readonly room: Room;
  /** The occupant as it would be after the join (role and affiliation it would enter with). */
  readonly occupant: Occupant;
  /** The joining session's real full JID. */
  readonly session: Jid;
  readonly kind: JoinKind;
  readonly stanza: Element;
  /**
   * What handlers grant this entry; starts empty. Handlers that allow may set fields (a later,
   * lower-priority handler's value wins); a veto discards them. The engine applies them after
   * every handler ran and before the built-in checks, within XEP-0045's rules
   * (`muc/joining/join-grant.ts`): `nick` replaces the requested nickname (status 210; a nick in
   * use is still a conflict), `affiliation` is stored in the room as an owner would set it, `role`
   * is the role a new occupant enters with. For a nickname change only `nick` applies.
   */
  readonly grant: {
    nick?: string;
    role?: Exclude<Role, 'none'>;
    affiliation?: Exclude<Affiliation, 'outcast'>;
  };
}

/** Payload of `muc-occupant-pre-change`. */
export interface OccupantPreChangeEvent {
  readonly room: Room;
  readonly occupant: Occupant;
  readonly change: OccupantChange;
  /** The real JID of whoever asked for the change (the occupant itself for a nick change). */
  readonly actor: Jid | undefined;
  readonly stanza: Element | undefined;
}

/** Payload of `muc-register-pre`. */
export interface RegisterPreEvent {
  readonly room: Room;
  /** The requester's real full JID. */
  readonly user: Jid;
  /** The requested nickname for a set; empty for a get or when the field is missing. */
  readonly nick: string;
  readonly type: 'get' | 'set';
  readonly stanza: Element;
}

declare module '../server/hooks/events.js' {
  interface HookEvents {
    /** A join is about to create a room (veto: the join is refused, no room is left behind). */
    'muc-room-pre-create': RoomPreCreateEvent;
    /** A session is about to enter a room or an occupant to take a new nickname (veto). */
    'muc-occupant-pre-join': OccupantPreJoinEvent;
    /** An occupant's nickname or role is about to change (veto). */
    'muc-occupant-pre-change': OccupantPreChangeEvent;
    /** A session entered a room. */
    'muc-occupant-joined': { readonly room: Room; readonly occupant: Occupant; readonly session: Jid; readonly kind: Exclude<JoinKind, 'nick-change'> };
    /** An occupant (all of its sessions) left a room. */
    'muc-occupant-left': { readonly room: Room; readonly occupant: Occupant; readonly reason: LeaveReason };
    'muc-room-created': { readonly room: Room; readonly creator: Jid };
    'muc-room-destroyed': { readonly room: Room; readonly cause: DestroyCause; readonly reason: string | undefined };
    /**
     * A groupchat message is about to be broadcast; `stanza` is the reflected message (from the
     * occupant JID) and may be modified. A veto answers the sender and broadcasts nothing.
     */
    'muc-broadcast-message': { readonly room: Room; readonly occupant: Occupant; readonly stanza: Element };
    /** A room's configuration changed (owner form or service API); `changed` names the fields that differ. */
    'muc-room-configured': { readonly room: Room; readonly changed: readonly (keyof RoomConfig)[]; readonly actor: Jid | undefined };
    /** An occupant's role changed (not to `none`: that is `muc-occupant-left`); `occupant` is the snapshot after. */
    'muc-occupant-role-changed': { readonly room: Room; readonly occupant: Occupant; readonly previous: Role; readonly actor: Jid | undefined };
    /** A user's affiliation with a room changed, whether present or not. */
    'muc-affiliation-changed': {
      readonly room: Room; readonly jid: Jid; readonly affiliation: Affiliation; readonly previous: Affiliation;
      readonly actor: Jid | undefined; readonly reason: string | undefined;
    };
    /**
     * A groupchat message with a body was broadcast (after `muc-broadcast-message`); `stanza` is the
     * copy occupants received (with the room's `stanza-id` when archived). Do not modify it.
     * `occupant` is undefined for a message the service posted as the room or a system nick.
     */
    'muc-message-posted': { readonly room: Room; readonly occupant: Occupant | undefined; readonly nick: string | undefined; readonly stanza: Element };
    /** A room registration request (XEP-0045 §7.10) is about to be answered (veto). */
    'muc-register-pre': RegisterPreEvent;
  }
}
