/**
 * Persistent rooms in the `muc_rooms` store of the service's host: one key per room (its
 * localpart), written whenever the persistent state changes and deleted when the room is
 * destroyed or stops being persistent.
 */
import type { Logger } from '../../server/log/index.js';
import type { KeyValueStore } from '../../server/storage/index.js';
import type { ChatRoom } from './chat-room.js';
import { parseRecord, toRecord, type RoomRecord } from './room-record.js';

/** The store persistent rooms live in, on the service's host. */
export const ROOM_STORE = 'muc_rooms';

/** Reads and writes room records. */
export class RoomStore {
  readonly #store: KeyValueStore<unknown>;
  readonly #logger: Logger;

  constructor(store: KeyValueStore<unknown>, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** Every readable record, by room localpart; unreadable ones are logged and skipped. */
  async loadAll(): Promise<Map<string, RoomRecord>> {
    const records = new Map<string, RoomRecord>();
    for (const key of await this.#store.keys()) {
      const record = parseRecord(await this.#store.get(key));
      if (record === undefined) this.#logger.error({ room: key }, 'stored room record is not readable; room skipped');
      else records.set(key, record);
    }
    return records;
  }

  /**
   * Brings storage in line with the room: its record when persistent, nothing otherwise.
   * Resolves once the write is durable.
   */
  async sync(room: ChatRoom): Promise<void> {
    if (room.registered && room.config.persistentroom) {
      room.stored = true;
      await this.#store.set(room.jid.local, toRecord(room));
    } else if (room.stored) {
      room.stored = false;
      await this.#store.delete(room.jid.local);
    }
  }
}
