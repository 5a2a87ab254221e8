/**
 * The `lastactivity` module (Prosody's name; XEP-0012 Last Activity for users): the server tells
 * a user's contacts how long ago the user logged out and with which status text. Not loaded by
 * default, as Prosody's default configuration does not enable it: list it in `modules_enabled`.
 * The server's own uptime (XEP-0012 §5) is the `uptime` module's.
 *
 * Unlike Prosody, which keeps logout times in memory only, the times are stored
 * (`lastactivity` store): a restart does not forget when an offline contact was last seen.
 */
import { Priority } from '../../server/hooks/index.js';
import { Jid } from '../../server/jid/index.js';
import { defineModule } from '../../server/modules/index.js';
import { rosterServiceKey } from '../../roster/index.js';
import { answerLastActivity, LAST_ACTIVITY_NS, type LastActivityAnswerer } from './last-activity-iq.js';
import { LastLogoutStore } from './last-logout-store.js';
import { LogoutRecorder } from './logout-recorder.js';

/** Above the presence module's broadcast (Default), below guards and policy that may refuse it. */
const RECORD_PRIORITY = Priority.Default + 5;

export const lastActivityModule = defineModule({
  name: 'lastactivity',
  description: "Last Activity (XEP-0012): tells a user's contacts when the user logged out",
  load(ctx) {
    // An account with a session exists: no store read for the usual case of a user online.
    const accountExists = async (user: Jid): Promise<boolean> => ctx.sessions.ofAccount(user).length > 0 || ((await ctx.accounts?.exists(user.local)) ?? false);
    const store = new LastLogoutStore(ctx.storage<unknown>('lastactivity'), (username) => accountExists(new Jid(username, ctx.host.name)));
    const recorder = new LogoutRecorder(store, ctx.sessions, ctx.logger);
    // §6: support is announced on the server, and on the accounts the server answers for.
    ctx.addFeature(LAST_ACTIVITY_NS);
    ctx.onUnload(ctx.host.accountDisco.addFeature(LAST_ACTIVITY_NS));

    // Before the presence module tells contacts (Default): a contact who queries on seeing the
    // unavailable presence finds the logout already queued for writing.
    ctx.hook('presence/broadcast', ({ stanza, origin }) => {
      if (origin !== undefined) recorder.presence(origin, stanza.attrs.type as string | undefined, stanza.getChildText('status') ?? undefined);
      return undefined;
    }, RECORD_PRIORITY);
    ctx.hook('resource-unbind', ({ session }) => {
      recorder.ended(session);
      return undefined;
    });
    ctx.hook('user-deleted', async ({ username }) => {
      await store.remove(username);
      return undefined;
    });

    const answerer: LastActivityAnswerer = {
      store,
      sessions: ctx.sessions,
      accountExists,
      isSubscribed: async (user, contact) => {
        const roster = await ctx.service(rosterServiceKey)?.load(user);
        const subscription = roster?.ok === true ? roster.value.items.get(contact.toString())?.subscription : undefined;
        return subscription === 'from' || subscription === 'both';
      },
      send: (stanza) => ctx.send(stanza),
    };
    ctx.hook(`iq-get/bare/${LAST_ACTIVITY_NS}:query`, (event) => answerLastActivity(answerer, event));
  },
});
