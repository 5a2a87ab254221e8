/**
 * The rooms of one MUC service by bare JID, and which rooms each client session is in (so that a
 * session that ends can be removed from all of them, XEP-0045 §7.14).
 */
import type { Jid } from '../server/jid/index.js';
import type { ChatRoom, SessionIndex } from './chat-room.js';

/** The rooms of a service and the session → rooms index. */
export class RoomRegistry implements SessionIndex {
  readonly #rooms = new Map<string, ChatRoom>();
  readonly #sessions = new Map<string, Set<ChatRoom>>();

  get size(): number {
    return this.#rooms.size;
  }

  /** The room with this bare JID (a full JID is reduced to its bare part). */
  get(jid: Jid): ChatRoom | undefined {
    return this.#rooms.get(jid.bare().toString());
  }

  all(): IterableIterator<ChatRoom> {
    return this.#rooms.values();
  }

  add(room: ChatRoom): void {
    this.#rooms.set(room.address, room);
    room.registered = true;
  }

  remove(room: ChatRoom): void {
    if (this.#rooms.get(room.address) === room) this.#rooms.delete(room.address);
    room.registered = false;
  }

  track(session: Jid, room: ChatRoom): void {
    const key = session.toString();
    const rooms = this.#sessions.get(key);
    if (rooms === undefined) this.#sessions.set(key, new Set([room]));
    else rooms.add(room);
  }

  untrack(session: Jid, room: ChatRoom): void {
    const key = session.toString();
    const rooms = this.#sessions.get(key);
    if (rooms === undefined) return;
    rooms.delete(room);
    if (rooms.size === 0) this.#sessions.delete(key);
  }

  /** The rooms a session is in, as a copy (callers remove the session while iterating). */
  roomsOf(session: Jid): ChatRoom[] {
    return [...(this.#sessions.get(session.toString()) ?? [])];
  }
}
