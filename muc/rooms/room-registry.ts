/**
 * The rooms of one MUC service by bare JID, which rooms each client session is in (so that a
 * session that ends can be removed from all of them, XEP-0045 §7.14), and how many rooms each
 * user created (`muc_max_rooms_per_user`).
 */
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom, SessionIndex } from './chat-room.js';

/** The rooms of a service and the session → rooms index. */
export class RoomRegistry implements SessionIndex {
  readonly #rooms = new Map<string, ChatRoom>();
  readonly #sessions = new Map<string, Set<ChatRoom>>();
  /** Rooms registered per creator's bare JID; bounded by the rooms themselves. */
  readonly #created = new Map<string, number>();

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
    const previous = this.#rooms.get(room.address);
    if (previous === room) return;
    if (previous !== undefined) this.remove(previous);
    this.#rooms.set(room.address, room);
    room.registered = true;
    if (room.creator !== undefined) this.#created.set(room.creator, this.createdBy(room.creator) + 1);
  }

  remove(room: ChatRoom): void {
    if (this.#rooms.get(room.address) !== room) {
      room.registered = false;
      return;
    }
    this.#rooms.delete(room.address);
    room.registered = false;
    if (room.creator === undefined) return;
    const left = this.createdBy(room.creator) - 1;
    if (left > 0) this.#created.set(room.creator, left);
    else this.#created.delete(room.creator);
  }

  /** How many of the registered rooms this bare JID (as a string) created. */
  createdBy(creator: string): number {
    return this.#created.get(creator) ?? 0;
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
