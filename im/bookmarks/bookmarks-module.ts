/**
 * The `bookmarks` module (Prosody's name): PEP Native Bookmarks (XEP-0402) kept in the PEP node
 * `urn:xmpp:bookmarks:1`, with the XEP-0411 compatibility layer, so that clients on XEP-0048
 * (private XML storage or the `storage:bookmarks` PEP node) and on XEP-0402 of one account see the
 * same rooms. Enabled on every VirtualHost as Prosody's default configuration enables
 * mod_bookmarks; needs `pep`, and `private` for the XEP-0049 way in (loaded before this module,
 * as the module list orders them). `modules_disabled: ['bookmarks']` turns it off.
 */
import * as z from 'zod';
import { Priority } from '../../server/hooks/index.js';
import { defineModule } from '../../server/modules/index.js';
import { pepServiceKey } from '../pep/index.js';
import { privateStorageKey } from '../private/index.js';
import { BOOKMARKS_NS, LEGACY_PRIVATE_KEY } from './bookmark-conversion.js';
import { BookmarksRequests } from './bookmarks-iq.js';
import { broadcastLegacy, migratePrivateBookmarks, PendingMigrations } from './legacy-bookmarks.js';

/** Before the `pep` module's own handlers (Default + 10), which see what is left. */
const BOOKMARKS_PRIORITY = Priority.Default + 20;

/** XEP-0402 §5 (the server converts both ways) and XEP-0411's own feature. */
const COMPAT_FEATURES = [`${BOOKMARKS_NS}#compat`, `${BOOKMARKS_NS}#compat-pep`, 'urn:xmpp:bookmarks-conversion:0'];
const PUBSUB_NS = 'http://jabber.org/protocol/pubsub';

export const bookmarksModule = defineModule({
  name: 'bookmarks',
  description: 'PEP Native Bookmarks (XEP-0402) with the XEP-0411 bridge to XEP-0048 clients',
  hostKinds: ['user'],
  autoload: true,
  options: {
    upgrade_legacy_bookmarks: z.boolean().default(true)
      .describe('Move XEP-0048 bookmarks left in private XML storage into PEP when the user logs in.'),
  },
  load(ctx) {
    const pep = () => ctx.service(pepServiceKey);
    const service = pep();
    if (service === undefined) {
      ctx.logger.warn('The bookmarks module needs pep: XEP-0048 bookmarks stay in private storage, unconverted');
      return;
    }
    const migrations = new PendingMigrations();
    const requests = new BookmarksRequests(pep, (username) => migrations.settled(username));
    const privateStorage = ctx.service(privateStorageKey);
    if (privateStorage !== undefined) ctx.onUnload(privateStorage.intercept(LEGACY_PRIVATE_KEY, requests.privateBookmarks));
    ctx.hook(`iq-get/bare/${PUBSUB_NS}:pubsub`, (event) => requests.pubsubGet(event), BOOKMARKS_PRIORITY);
    ctx.hook(`iq-set/bare/${PUBSUB_NS}:pubsub`, (event) => requests.pubsubSet(event), BOOKMARKS_PRIORITY);
    for (const feature of COMPAT_FEATURES) ctx.onUnload(ctx.host.accountDisco.addFeature(feature));

    const warn = (error: unknown): void => ctx.logger.warn({ err: error }, 'XEP-0411 bookmarks handling failed');
    ctx.onUnload(service.onNodeChanged((owner, node) => {
      if (node === BOOKMARKS_NS) broadcastLegacy(service, owner).catch(warn);
    }));
    if (ctx.options.upgrade_legacy_bookmarks) {
      ctx.hook('resource-bind', ({ session }) => {
        const current = pep();
        if (current !== undefined && privateStorage !== undefined) {
          const owner = session.jid.bare();
          migrations.start(owner.local, () => migratePrivateBookmarks(current, privateStorage, owner, ctx.logger).catch(warn));
        }
        return undefined;
      });
    }
  },
});
