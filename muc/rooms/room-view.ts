/**
 * The read-only faces of the engine's state handed to hooks and to the service API: `RoomView`
 * reads the live room through getters; `occupantSnapshot` freezes an occupant as it is now.
 */
import { parseJid, type Jid } from '../../server/jid/index.js';
import type { ChatRoom } from './chat-room.js';
import type { AffiliationEntry, Occupant, Room } from '../events.js';
import type { RoomConfig } from '../configuration/room-config.js';
import type { RoomOccupant } from './room-occupant.js';
import type { Affiliation, Role } from './roles-affiliations.js';

/** A frozen snapshot of an occupant; `role` may be given for one that is about to change. */
export function occupantSnapshot(room: ChatRoom, occupant: RoomOccupant, role: Role = occupant.role): Occupant {
  return Object.freeze({
    nick: occupant.nick,
    jid: occupant.jid,
    bareJid: occupant.bareJid,
    sessions: Object.freeze([...occupant.sessions.values()].map((session) => session.jid)),
    role,
    affiliation: room.affiliationOf(occupant.bareJid),
    occupantId: occupant.occupantId,
  });
}

/** The live read-only `Room` of a `ChatRoom`. */
export class RoomView implements Room {
  readonly #room: ChatRoom;
  #configSource: RoomConfig | undefined;
  #configCopy: Readonly<RoomConfig> | undefined;

  constructor(room: ChatRoom) {
    this.#room = room;
  }

  get jid(): Jid {
    return this.#room.jid;
  }

  get exists(): boolean {
    return this.#room.registered;
  }

  /** A frozen copy, made again only when the room's configuration was replaced. */
  get config(): Readonly<RoomConfig> {
    if (this.#configSource !== this.#room.config || this.#configCopy === undefined) {
      this.#configSource = this.#room.config;
      const copy = { ...this.#room.config, presencebroadcast: Object.freeze([...this.#room.config.presencebroadcast]) };
      this.#configCopy = Object.freeze(copy);
    }
    return this.#configCopy;
  }

  get locked(): boolean {
    return this.#room.locked;
  }

  get subject(): string | undefined {
    return this.#room.subject?.text;
  }

  get occupantCount(): number {
    return this.#room.occupantCount;
  }

  occupants(): readonly Occupant[] {
    return [...this.#room.occupants()].map((occupant) => occupantSnapshot(this.#room, occupant));
  }

  occupant(nick: string): Occupant | undefined {
    const occupant = this.#room.occupantByNick(nick);
    return occupant === undefined ? undefined : occupantSnapshot(this.#room, occupant);
  }

  affiliation(jid: Jid): Affiliation {
    return this.#room.affiliationOf(jid);
  }

  affiliations(): readonly AffiliationEntry[] {
    const entries: AffiliationEntry[] = [];
    for (const [bare, affiliation] of this.#room.affiliationEntries()) {
      const jid = parseJid(bare);
      if (!jid.ok) continue;
      entries.push(Object.freeze({ jid: jid.value, affiliation, nick: this.#room.reservedNick(jid.value) }));
    }
    return entries;
  }
}
