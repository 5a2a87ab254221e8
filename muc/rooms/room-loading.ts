/**
 * Persistent rooms come back at start-up, empty but with their configuration, affiliations,
 * registered nicknames and subject, so that joins, disco and the service API find them at once.
 */
import { parseParts } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import { roomDefaultsFrom } from '../options.js';
import { recordConfig, restoreRecord } from './room-record.js';

/** Registers every stored room with the engine. */
export async function loadPersistentRooms(engine: MucEngine): Promise<void> {
  const records = await engine.store.loadAll();
  const defaults = roomDefaultsFrom(engine.options);
  for (const [local, record] of records) {
    const jid = parseParts(local, engine.domain, '');
    if (!jid.ok || jid.value.local !== local || local === '') {
      engine.ctx.logger.error({ room: local }, 'stored room has an invalid name; room skipped');
      continue;
    }
    const room = engine.newRoom(jid.value);
    room.setConfig(recordConfig(record, defaults));
    restoreRecord(room, record);
    room.stored = true;
    engine.rooms.add(room);
  }
  if (records.size > 0) engine.ctx.logger.info({ rooms: records.size }, 'persistent rooms loaded');
  // Stored rooms are never dropped for a lowered bound; the service only refuses new ones.
  if (engine.rooms.size >= engine.options.muc_max_rooms) {
    engine.ctx.logger.warn({ rooms: engine.rooms.size, muc_max_rooms: engine.options.muc_max_rooms }, 'stored rooms reach muc_max_rooms: no new room can be created');
  }
}
