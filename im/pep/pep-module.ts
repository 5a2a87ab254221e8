/**
 * The `pep` module (Prosody's name; XEP-0163 Personal Eventing Protocol over a XEP-0060 subset):
 * every account's bare JID is a pubsub service of its own (avatars, OMEMO device lists and
 * bundles, nicknames, bookmarks). Loaded on every VirtualHost as Prosody's default configuration
 * enables mod_pep; `modules_disabled: ['pep']` turns it off.
 */
import type { Element } from 'ltx';
import { Priority } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import { defineModule, type ModuleContext } from '../../server/modules/index.js';
import { NS } from '../../server/xml/index.js';
import { rosterServiceKey, type Roster } from '../../roster/index.js';
import { CapsInterest } from './caps-interest.js';
import { listNodes } from './pep-disco.js';
import { PepNotifier } from './pep-notifier.js';
import { pepOptions, type PepOptions } from './pep-options.js';
import { PepPresence } from './pep-presence.js';
import { PepRequests } from './pep-requests.js';
import { createPepService, nodeChanged, pepServiceKey, type PepNodeListener } from './pep-service.js';
import { PepStore, type UserNodes } from './pep-store.js';
import { PEP_FEATURES, PUBSUB } from './pubsub-ns.js';

/** Above the core's disco answers and the roster's presence handling, which still run after. */
const PEP_PRIORITY = Priority.Default + 10;

export const pepModule = defineModule({
  name: 'pep',
  description: 'Personal Eventing Protocol (XEP-0163): a pubsub service on every account',
  hostKinds: ['user'],
  autoload: true,
  options: pepOptions,
  load(ctx) {
    const loadRoster = rosterLoader(ctx);
    const store = new PepStore(ctx.storage<UserNodes>('pep'), ctx.options.pep_max_bytes_per_user);
    const interest = new CapsInterest({
      host: ctx.host.name, cacheSize: ctx.options.pep_caps_cache_size, logger: ctx.logger,
      send: (stanza) => ctx.send(stanza), setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
    });
    const notifier = new PepNotifier({ sessions: ctx.sessions, interest, send: (stanza) => ctx.send(stanza), loadRoster });
    const accountExists = async (username: string): Promise<boolean> => (await ctx.accounts?.exists(username)) === true;
    const listeners = new Set<PepNodeListener>();
    const onListenerError = (error: unknown): void => ctx.logger.warn({ err: error }, 'PEP node change handling failed');
    const nodeChangedHere = (owner: Jid, node: string): void => nodeChanged(listeners, owner, node, onListenerError);
    const requests = new PepRequests({ store, notifier, maxItems: ctx.options.pep_max_items, send: (stanza) => ctx.send(stanza), accountExists, loadRoster, nodeChanged: nodeChangedHere });
    ctx.provide(pepServiceKey, createPepService({ store, notifier, maxItems: ctx.options.pep_max_items, listeners }, onListenerError));
    const presence = new PepPresence({ interest, notifier, store, loadRoster });

    ctx.hook(`iq-set/bare/${PUBSUB.main}:pubsub`, (event) => requests.set(event));
    ctx.hook(`iq-get/bare/${PUBSUB.main}:pubsub`, (event) => requests.get(event));
    ctx.hook(`iq-set/bare/${PUBSUB.owner}:pubsub`, (event) => requests.owner(event));
    ctx.hook(`iq-get/bare/${PUBSUB.owner}:pubsub`, (event) => requests.owner(event));
    ctx.hook('iq/host', (event) => interest.onIqResponse(event), PEP_PRIORITY);
    // In the background: the disco#info answer the caps may need arrives on the same stream as
    // this presence, which cannot go on until the hook returns.
    const observe = (owner: Jid, from: Jid, stanza: Element): undefined => {
      presence.seen(owner, from, stanza).catch((error: unknown) => ctx.logger.warn({ err: error }, 'PEP presence handling failed'));
      return undefined;
    };
    ctx.hook('presence/bare', (event) => observe(event.to.bare(), event.from, event.stanza), PEP_PRIORITY);
    ctx.hook('presence/broadcast', (event) => observe(event.to.bare(), event.from, event.stanza), PEP_PRIORITY);
    ctx.hook('resource-unbind', ({ session }) => presence.ended(session.jid));

    ctx.hook(`iq-get/bare/${NS.discoItems}:query`, (event) => listNodes({ store, loadRoster, accountExists }, event), PEP_PRIORITY);
    // XEP-0163 §6: the account advertises itself as a PEP service.
    ctx.onUnload(ctx.host.accountDisco.addIdentity({ category: 'pubsub', type: 'pep' }));
    for (const feature of PEP_FEATURES) ctx.onUnload(ctx.host.accountDisco.addFeature(feature));

    ctx.hook('user-deleted', async ({ username }) => {
      await store.remove(username);
      return undefined;
    });
  },
});

function rosterLoader(ctx: ModuleContext<PepOptions>): (owner: Jid) => Promise<Roster | undefined> {
  return async (owner) => {
    const roster = await ctx.service(rosterServiceKey)?.load(owner);
    return roster?.ok === true ? roster.value : undefined;
  };
}
