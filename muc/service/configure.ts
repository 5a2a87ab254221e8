/**
 * `MucService.configure`: the service changes a room's configuration as its owner's form would
 * (XEP-0045 §10.2): the values are checked like a form (`config-changes.ts`), then the same
 * effects follow (`apply-configuration.ts`: status codes, members-only removals, the hook), the
 * room is stored (or its record removed when it stopped being persistent) and a temporary room
 * without occupants goes away.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { Room } from '../events.js';
import type { MucEngine } from '../muc-engine.js';
import type { RoomNotFound, ServiceActor } from '../muc-service.js';
import { applyConfiguration } from '../configuration/apply-configuration.js';
import { configWithChanges } from '../configuration/config-changes.js';
import type { RoomConfig } from '../configuration/room-config.js';
import { findRoom } from './service-room.js';

export async function configure(
  engine: MucEngine, address: Jid | string, changes: Partial<RoomConfig>, actor: ServiceActor | undefined,
): Promise<Result<Room, RoomNotFound | 'invalid-config'>> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const next = configWithChanges(room.config, changes, engine.options.max_history_messages);
  if (!next.ok) {
    engine.ctx.logger.info({ room: room.address, problem: next.error }, 'room configuration refused');
    return err('invalid-config');
  }
  applyConfiguration(engine, room, next.value, actor?.jid);
  await engine.persist(room);
  engine.releaseIfEmpty(room);
  return ok(room.view);
}
