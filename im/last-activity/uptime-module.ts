/**
 * The `uptime` module (Prosody's name; XEP-0012 §5): a Last Activity query to the server's own
 * JID is answered with how long the server has been running. Enabled on every VirtualHost unless
 * listed in `modules_disabled`, as Prosody's default configuration enables mod_uptime.
 */
import { defineModule } from '../../server/modules/index.js';
import { iqResult } from '../../server/xml/index.js';
import { LAST_ACTIVITY_NS, lastActivityQuery } from './last-activity-iq.js';

export const uptimeModule = defineModule({
  name: 'uptime',
  description: 'Answers Last Activity queries to the server with its uptime (XEP-0012 §5)',
  autoload: true,
  load(ctx) {
    // Modules load while the server starts; the module has no options, so a reload never loads
    // it again unless it was disabled in between.
    const startedAt = Date.now();
    ctx.addFeature(LAST_ACTIVITY_NS);
    ctx.hook(`iq-get/host/${LAST_ACTIVITY_NS}:query`, ({ stanza }) => {
      // §5: the query SHOULD NOT contain character data.
      ctx.send(iqResult(stanza, lastActivityQuery(Math.floor((Date.now() - startedAt) / 1000), '')));
      return true;
    });
  },
});
