/**
 * The room archive behind `RoomArchiving`: archives groupchat messages in the `muc_log` store
 * (archive = the room's bare JID, `with` = the sender's occupant JID), stamps the room's
 * XEP-0359 stanza id once the item is committed (it survives `kill -9`), keeps a room's delivery order equal to its archive
 * order, and reads the join history back from the archive once after a restart.
 */
import { Element } from 'ltx';
import type { Logger } from '../../server/log/index.js';
import { newArchiveId, type ArchiveStore } from '../../server/storage/index.js';
import { NS } from '../../server/xml/index.js';
import { isNonAnonymous } from '../configuration/room-config.js';
import { isHistoryWorthy, type HistoryContext } from '../delivery/history.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { isArchiveWorthy, readBack, storedCopy, type ArchivedSender } from './archived-message.js';
import type { RoomArchiving } from './room-archiving.js';

/** The `muc_log` store (Prosody's name). */
export const ROOM_ARCHIVE_STORE = 'muc_log';

/**
 * Messages of one room that may wait for the archive while their senders go on. An append waits
 * for its commit (the disk sync follows off the writer lock); appends of one event-loop turn
 * share a commit, so a sender that does not wait for each commit is not held to one message per
 * commit. Past this bound senders wait.
 */
export const MAX_ROOM_BACKLOG = 256;

/** The disco#info features of an archived room (Prosody's muc_mam: mam:2 and #extended). */
const ARCHIVE_FEATURES: readonly string[] = [NS.mam, NS.mamExtended];

export interface RoomArchiveOptions {
  /** `muc_log_all_rooms`: every room archives, the form does not offer the choice. */
  readonly archiveAllRooms: boolean;
}

function senderOf(room: ChatRoom, message: Element): ArchivedSender | undefined {
  const from = String(message.attrs.from);
  const occupant = room.occupantByNick(from.slice(from.indexOf('/') + 1));
  if (occupant === undefined) return undefined;
  return {
    bareJid: occupant.bareJid.toString(), affiliation: room.affiliationOf(occupant.bareJid), role: occupant.role,
    public: isNonAnonymous(room.config),
  };
}

export class RoomArchive implements RoomArchiving {
  readonly store: ArchiveStore;
  readonly offersConfigField: boolean;
  readonly #options: RoomArchiveOptions;
  readonly #logger: Logger;
  /** The last pending delivery of each room: later messages wait for it (archive order). */
  readonly #tails = new WeakMap<ChatRoom, Promise<string | undefined>>();
  /** How many messages of each room wait for the archive. */
  readonly #backlog = new WeakMap<ChatRoom, number>();
  /** Rooms whose history was read back (true) or is being read. */
  readonly #loaded = new WeakMap<ChatRoom, true | Promise<void>>();

  constructor(store: ArchiveStore, options: RoomArchiveOptions, logger: Logger) {
    this.store = store;
    this.#options = options;
    this.offersConfigField = !options.archiveAllRooms;
    this.#logger = logger;
  }

  isEnabled(room: ChatRoom): boolean {
    return this.#options.archiveAllRooms || room.config.enablearchiving;
  }

  features(room: ChatRoom): readonly string[] {
    // Prosody advertises stanza ids whatever the room's setting; the archive only when it is on.
    return this.isEnabled(room) ? [...ARCHIVE_FEATURES, NS.stanzaId] : [NS.stanzaId];
  }

  archive(room: ChatRoom, message: Element): Promise<string | undefined> | undefined {
    const tail = this.#tails.get(room);
    if (!this.isEnabled(room) || !isArchiveWorthy(message)) {
      return tail === undefined ? undefined : this.#queue(room, tail.then(() => undefined));
    }
    const now = Date.now();
    const id = newArchiveId(now);
    const item = { id, when: now, with: String(message.attrs.from), stanza: storedCopy(message, senderOf(room, message)) };
    const appended = this.store.append(room.address, item).then(() => {
      message.cnode(new Element('stanza-id', { xmlns: NS.stanzaId, id, by: room.address }));
      return id;
    }, (error: unknown) => {
      // Prosody delivers a message it could not archive, without a stanza id.
      this.#logger.error({ err: error, room: room.address }, 'archiving a room message failed');
      return undefined;
    });
    return this.#queue(room, tail === undefined ? appended : tail.then(() => appended));
  }

  isBacklogged(room: ChatRoom): boolean {
    return (this.#backlog.get(room) ?? 0) > MAX_ROOM_BACKLOG;
  }

  #queue(room: ChatRoom, done: Promise<string | undefined>): Promise<string | undefined> {
    this.#tails.set(room, done);
    this.#backlog.set(room, (this.#backlog.get(room) ?? 0) + 1);
    void done.then(() => {
      const left = (this.#backlog.get(room) ?? 1) - 1;
      if (left > 0) this.#backlog.set(room, left);
      else this.#backlog.delete(room);
      if (this.#tails.get(room) === done) this.#tails.delete(room);
    });
    return done;
  }

  loadHistory(room: ChatRoom): Promise<void> | undefined {
    const state = this.#loaded.get(room);
    if (state === true) return undefined;
    if (state !== undefined) return state;
    if (!this.isEnabled(room) || room.history.capacity === 0) return undefined;
    const loading = this.#readHistory(room).catch((error: unknown) => {
      this.#logger.error({ err: error, room: room.address }, 'reading room history from the archive failed');
    }).finally(() => this.#loaded.set(room, true));
    this.#loaded.set(room, loading);
    return loading;
  }

  /** Puts the newest archived history messages older than the in-memory ones in front of them. */
  async #readHistory(room: ChatRoom): Promise<void> {
    const page = await this.store.query(room.address, { limit: room.history.capacity, fromEnd: true });
    if (typeof page === 'string') return;
    const kept = room.history.entries();
    const known = new Set(kept.map((entry) => entry.archiveId));
    const oldest = kept[0]?.timestamp.getTime() ?? Infinity;
    const older: { message: Element; context: HistoryContext }[] = [];
    for (const item of page.items) {
      if (known.has(item.id) || item.when > oldest) continue;
      const message = readBack(item.stanza, 'none');
      delete message.attrs.xmlns;
      if (!isHistoryWorthy(message)) continue;
      message.cnode(new Element('stanza-id', { xmlns: NS.stanzaId, id: item.id, by: room.address }));
      older.push({ message, context: { roomJid: room.address, occupantJid: item.with, now: new Date(item.when), archiveId: item.id } });
    }
    room.history.addOlder(older);
  }

  async find(room: ChatRoom, id: string): Promise<string | undefined> {
    return (await this.store.get(room.address, id))?.stanza;
  }

  replace(room: ChatRoom, id: string, stanza: string): Promise<boolean> {
    return this.store.replace(room.address, id, stanza);
  }

  /** Forgets a room's archive (the room was destroyed). */
  async forget(room: string): Promise<void> {
    await this.store.deleteArchive(room);
  }
}
