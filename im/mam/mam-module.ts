/**
 * The `mam` module (Prosody's name): users' Message Archive Management (XEP-0313, with the
 * #extended features) and the XEP-0359 stanza ids of archived messages. Loaded on every
 * VirtualHost (autoload), as Prosody's default configuration enables mod_mam: clients such as
 * Conversations, Dino and Monal expect an archive, and `modules_disabled = { "mam" }` turns it off.
 */
import { Priority } from '../../server/hooks/index.js';
import { Jid } from '../../server/jid/index.js';
import { createRetentionSweep, parseArchivePeriod } from '../../server/mam/index.js';
import { defineModule, type ModuleContext } from '../../server/modules/index.js';
import { orderDeliveries } from '../../server/stream/index.js';
import { NS } from '../../server/xml/index.js';
import { rosterServiceKey } from '../../roster/index.js';
import { defaultPrefs } from './archive-prefs.js';
import { ArchiveQueries } from './archive-queries.js';
import { mamOptions, validateMamOptions } from './mam-options.js';
import { PrefsStore } from './prefs-store.js';
import { UserArchiver } from './user-archiver.js';

/**
 * On the recipient's host: after guards (100) and policy (50), before carbons (10) and delivery
 * (0), so the delivered message and its carbons carry the stanza id. On the sender's host the
 * same number puts the sender's archive before `<sent/>` carbons.
 */
export const ARCHIVE_PRIORITY = Priority.Default + 20;

type MamContext = ModuleContext<{
  archive_expires_after: number | string | false;
  default_archive_policy: boolean | 'always' | 'never' | 'roster';
  max_archive_query_results: number;
  archive_cleanup_interval: number;
}>;

export const mamModule = defineModule({
  name: 'mam',
  description: "Archives users' messages and answers archive queries (XEP-0313, XEP-0359 stanza ids)",
  autoload: true,
  options: mamOptions,
  validate: validateMamOptions,
  load(ctx) {
    const store = ctx.archiveStorage('archive');
    const prefs = new PrefsStore(ctx.storage<unknown>('archive_prefs'), defaultPrefs(ctx.options.default_archive_policy));
    ctx.onUnload(() => prefs.close());
    const archiver = new UserArchiver({
      store, prefs, logger: ctx.logger,
      // An account with a session exists: no store read for the usual case of a user online.
      accountExists: (user) => ctx.sessions.ofAccount(user).length > 0 || (ctx.accounts?.exists(user.local) ?? false),
      inRoster: (user, contact) => inRoster(ctx, user, contact),
    });
    ctx.hook('message/bare', (event) => archiver.incoming(event), ARCHIVE_PRIORITY);
    ctx.hook('message/full', (event) => archiver.incoming(event), ARCHIVE_PRIORITY);
    // A message a service writes straight to the account's sessions (a MUC private message):
    // kept once for the account, its copies carry the id.
    ctx.hook('deliver-message', (event) => archiver.incoming(event, event.original), ARCHIVE_PRIORITY);
    ctx.hook('pre-stanza', (event) => archiver.outgoing(event), ARCHIVE_PRIORITY);
    ctx.hook('pre-stanza', (event) => archiver.stripBeforeRouting(event), Priority.Fallback);
    // `incoming` sees every message to an account of this host, releases its sender's stream and
    // delivers it after that stream's earlier stanzas (server/stream/input-release.ts).
    ctx.onUnload(orderDeliveries(ctx.host));

    const queries = new ArchiveQueries({ store, prefs, maxResults: ctx.options.max_archive_query_results, logger: ctx.logger });
    ctx.hook(`iq-set/bare/${NS.mam}:query`, (event) => queries.query(event));
    ctx.hook(`iq-get/bare/${NS.mam}:query`, (event) => queries.form(event));
    ctx.hook(`iq-get/bare/${NS.mam}:prefs`, (event) => queries.prefs(event));
    ctx.hook(`iq-set/bare/${NS.mam}:prefs`, (event) => queries.prefs(event));
    ctx.hook(`iq-get/bare/${NS.mam}:metadata`, (event) => queries.metadata(event));

    // XEP-0313, determining support: on the account's bare JID, with XEP-0359's feature.
    for (const feature of [NS.mam, NS.mamExtended, NS.stanzaId]) ctx.onUnload(ctx.host.accountDisco.addFeature(feature));

    ctx.hook('user-deleted', async ({ username }) => {
      await Promise.all([store.deleteArchive(new Jid(username, ctx.host.name).toString()), prefs.remove(username)]);
      return undefined;
    });
    startRetention(ctx, store);
  },
});

function startRetention(ctx: MamContext, store: ReturnType<MamContext['archiveStorage']>): void {
  const period = parseArchivePeriod(ctx.options.archive_expires_after);
  if (!period.ok || period.value === 'never') return;
  const sweep = createRetentionSweep(store, period.value, ctx.logger);
  ctx.setInterval(() => void sweep.sweep(), ctx.options.archive_cleanup_interval * 1000);
}

async function inRoster(ctx: MamContext, user: Jid, contact: Jid): Promise<boolean> {
  const roster = await ctx.service(rosterServiceKey)?.load(user);
  return roster?.ok === true && roster.value.items.has(contact.toString());
}
