/**
 * An occupant of a room (XEP-0045 §5.1: a role held for the duration of a visit) and the client
 * sessions that share its nickname. The first session is the primary one: its presence is the
 * one other occupants see.
 */
import type { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import type { ModuleContext } from '../../server/modules/index.js';
import type { Session } from '../../server/session/index.js';
import { encodeToAttribute } from '../delivery/shared-stanza.js';
import type { Role } from './roles-affiliations.js';

/** One client session in a room. */
export class OccupantSession {
  readonly session: Session;
  /** The session's real full JID. */
  readonly jid: Jid;
  /** ` to="…"`, escaped and encoded once, written into stanzas serialised without `to`. */
  readonly toAttr: Uint8Array;
  /** The session's own host, whose inbound guards every stanza to it passes (`deliverDirect`). */
  readonly host: ModuleContext['host'] | undefined;
  /** The last available presence the session sent to the room. */
  presence: Element;

  constructor(session: Session, jid: Jid, presence: Element, host: ModuleContext['host'] | undefined) {
    this.session = session;
    this.jid = jid;
    this.host = host;
    this.toAttr = encodeToAttribute(jid);
    this.presence = presence;
  }
}

/** An occupant: nickname, role, occupant id and its sessions. */
export class RoomOccupant {
  nick: string;
  /** `room@service/nick`. */
  jid: Jid;
  readonly bareJid: Jid;
  role: Role;
  readonly occupantId: string;
  /** By real full JID, in joining order. */
  readonly sessions = new Map<string, OccupantSession>();

  constructor(jid: Jid, bareJid: Jid, role: Role, occupantId: string) {
    this.nick = jid.resource;
    this.jid = jid;
    this.bareJid = bareJid;
    this.role = role;
    this.occupantId = occupantId;
  }

  /** The session whose presence represents the occupant. */
  get primary(): OccupantSession {
    const first = this.sessions.values().next();
    if (first.done === true) throw new Error(`occupant ${this.jid.toString()} has no session`);
    return first.value;
  }

  session(jid: Jid): OccupantSession | undefined {
    return this.sessions.get(jid.toString());
  }
}
