/**
 * The `muc_mam` module (Prosody's mod_muc_mam): room archives on a MUC service. Prosody's
 * example config enables it on its MUC component (`modules_enabled = { "muc_mam" }`), so Salon
 * loads it with every `muc` component; `modules_disabled = { "muc_mam" }` on the Component turns
 * it off. It plugs a `RoomArchive` into the service's engine, answers MAM queries to rooms,
 * forgets a destroyed room's archive (as Prosody does) and drops messages older than
 * `muc_log_expires_after` once a day.
 */
import { createRetentionSweep, parseArchivePeriod } from '../../server/mam/index.js';
import { defineModule, type ModuleContext } from '../../server/modules/index.js';
import { NS } from '../../server/xml/index.js';
import { mucEngineKey } from '../muc-engine.js';
import { mucMamOptionShape, type MucMamOptions } from './options.js';
import { RoomArchive, ROOM_ARCHIVE_STORE } from './room-archive.js';
import { registerRoomMamQueries } from './room-mam-queries.js';

const DAY_MS = 86_400_000;

/** Drops expired messages now and then daily (Prosody sweeps daily too). */
function scheduleExpiry(ctx: ModuleContext<MucMamOptions>, archive: RoomArchive): void {
  const period = parseArchivePeriod(ctx.options.muc_log_expires_after);
  if (!period.ok || period.value === 'never') return;
  const expiry = createRetentionSweep(archive.store, period.value, ctx.logger);
  const sweep = (): void => void expiry.sweep();
  ctx.setTimeout(sweep, 0);
  ctx.setInterval(sweep, Math.min(DAY_MS, period.value * 1000));
}

function load(ctx: ModuleContext<MucMamOptions>): void {
  const engine = ctx.service(mucEngineKey);
  if (engine === undefined) {
    ctx.logger.error('muc_mam needs the muc module loaded before it on the same Component: rooms are not archived');
    return;
  }
  const archive = new RoomArchive(ctx.archiveStorage(ROOM_ARCHIVE_STORE), { archiveAllRooms: ctx.options.muc_log_all_rooms }, ctx.logger);
  engine.archiving = archive;
  ctx.onUnload(() => {
    if (engine.archiving === archive) engine.archiving = undefined;
  });
  ctx.addFeature(NS.mam);
  registerRoomMamQueries(ctx, engine, archive, { maxResults: ctx.options.max_archive_query_results });
  ctx.hook('muc-room-destroyed', ({ room }) => {
    archive.forget(room.jid.toString()).catch((error: unknown) => {
      ctx.logger.error({ err: error, room: room.jid.toString() }, 'deleting a destroyed room\'s archive failed');
    });
  });
  scheduleExpiry(ctx, archive);
}

/** The `muc_mam` module definition, listed in the composition root's module catalog. */
export const mucMamModule = defineModule({
  name: 'muc_mam',
  description: 'Room archives: XEP-0313 queries to rooms, XEP-0359 stanza ids, history kept across restarts',
  hostKinds: ['component'],
  componentTypes: ['muc'],
  requires: ['muc'],
  options: mucMamOptionShape,
  load,
});
