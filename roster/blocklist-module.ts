/**
 * The `blocklist` module (Prosody's name; XEP-0191 Blocking Command): users' blocklists, the
 * protocol to manage them, and their enforcement on every stanza to or from a user of this host.
 */
import * as z from 'zod';
import { Priority } from '../server/hooks/index.js';
import { Jid } from '../server/jid/index.js';
import { defineModule } from '../server/modules/index.js';
import type { Session } from '../server/session/index.js';
import { NS } from '../server/xml/index.js';
import { guardDelivery, guardInbound, guardOutbound } from './blocking-guard.js';
import { DEFAULT_MAX_BLOCKLIST_SIZE } from './blocklist.js';
import { answerBlockingSet, answerBlocklistGet, type BlocklistProtocol } from './blocklist-iq.js';
import { blocklistServiceKey, createBlocklistService } from './blocklist-service.js';

const GUARDED = ['message/bare', 'message/full', 'presence/bare', 'presence/full', 'iq/bare', 'iq/full'] as const;

export const blocklistModule = defineModule({
  name: 'blocklist',
  description: 'Blocking Command (XEP-0191): blocklists and their enforcement',
  autoload: true,
  options: {
    max_blocklist_size: z.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_BLOCKLIST_SIZE)
      .describe('Most JIDs in one user\'s blocklist.'),
  },
  load(ctx) {
    const service = createBlocklistService(ctx.storage<string[]>('blocklist'), ctx.options.max_blocklist_size);
    ctx.provide(blocklistServiceKey, service);
    // Converse.js looks for the feature on the server, XEP-0191 §2 on the account: both.
    ctx.addFeature(NS.blocking);
    ctx.onUnload(ctx.host.accountDisco.addFeature(NS.blocking));
    const protocol: BlocklistProtocol = { ctx, service, interested: new WeakSet<Session>() };
    ctx.hook('iq-get/bare/urn:xmpp:blocking:blocklist', (event) => answerBlocklistGet(protocol, event));
    ctx.hook('iq-set/bare/urn:xmpp:blocking:block', (event) => answerBlockingSet(protocol, event));
    ctx.hook('iq-set/bare/urn:xmpp:blocking:unblock', (event) => answerBlockingSet(protocol, event));
    for (const name of GUARDED) ctx.hook(name, (event) => guardInbound(service, event), Priority.Guard);
    ctx.hook('deliver-stanza', (event) => guardDelivery(service, event), Priority.Guard);
    // A MUC private message is stopped once for the account, before its archive keeps it.
    ctx.hook('deliver-message', (event) => guardInbound(service, event), Priority.Guard);
    ctx.hook('pre-stanza', (event) => guardOutbound(ctx, service, event), Priority.Guard);
    ctx.hook('user-deleted', ({ username }) => service.remove(new Jid(username, ctx.host.name)));
  },
});
