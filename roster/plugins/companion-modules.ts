/**
 * Module names the README of Prosody's mod_http_roster_admin tells operators to enable next to
 * it. Salon needs neither (spec §3.2: `http_roster_admin` keeps rosters in memory by itself, and
 * the HTTP listener is always there), but a config ported from that README must load [COMPAT],
 * so both names exist and only say so.
 */
import { defineModule } from '../../server/modules/index.js';

export const storageMemoryModule = defineModule({
  name: 'storage_memory',
  description: 'Accepted for Prosody configs; not needed (use storage = "memory" to keep a store in memory)',
  hostKinds: ['user', 'component'],
  load(ctx) {
    ctx.logger.info('storage_memory is not needed by Salon: the "memory" driver is built in, and http_roster_admin keeps rosters in memory by itself');
  },
});

export const httpFilesModule = defineModule({
  name: 'http_files',
  description: 'Accepted for Prosody configs; not needed (the HTTP listener serves module routes without it)',
  hostKinds: ['user', 'component'],
  load(ctx) {
    ctx.logger.info('http_files is not needed by Salon: the HTTP listener serves module routes by itself; it serves no files');
  },
});
