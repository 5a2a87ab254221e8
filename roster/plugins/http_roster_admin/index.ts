/**
 * The `http_roster_admin` module (Prosody community name; spec §3): users' rosters belong to an
 * external web application. They are fetched over HTTP at the first roster get, held in memory
 * while the user is online, refreshed when the application calls `/roster_admin/refresh`, and
 * never changed by clients. On its host the plugin replaces the built-in roster module and brings
 * `block_subscriptions` with it (spec §3.2: one module instead of the original's three).
 */
import { httpServiceKey } from '../../../http/index.js';
import { Priority } from '../../../server/hooks/index.js';
import { Jid } from '../../../server/jid/index.js';
import { defineModule } from '../../../server/modules/index.js';
import { outboundHttpKey } from '../../../server/net/index.js';
import { rosterServiceKey } from '../../index.js';
import { createHttpRosters } from './http-roster-service.js';
import { httpRosterAdminOptionShape, optionWarnings, validateHttpRosterAdminOptions } from './options.js';
import { guardProbe } from './probe-guard.js';
import { registerRefreshRoutes } from './refresh-routes.js';
import { createRosterFetch } from './roster-backend.js';
import { answerRosterGet, refuseRosterSet } from './roster-requests.js';

export const httpRosterAdminModule = defineModule({
  name: 'http_roster_admin',
  description: 'Rosters owned by an external HTTP service, refreshed through /roster_admin/refresh',
  options: httpRosterAdminOptionShape,
  requires: ['block_subscriptions'],
  replaces: ['roster'],
  validate: validateHttpRosterAdminOptions,
  load(ctx) {
    const outbound = ctx.service(outboundHttpKey);
    const routes = ctx.service(httpServiceKey);
    // The composition root provides both to every host before modules load.
    if (outbound === undefined || routes === undefined) throw new Error('http_roster_admin needs the HTTP listener and the outbound HTTP client');
    const rosters = createHttpRosters(ctx, createRosterFetch(ctx.options, outbound, ctx.logger));
    ctx.provide(rosterServiceKey, rosters);
    ctx.hook('iq-get/bare/jabber:iq:roster:query', (event) => answerRosterGet(rosters, event, ctx.logger));
    ctx.hook('iq-set/bare/jabber:iq:roster:query', () => refuseRosterSet());
    ctx.hook('presence/bare', (event) => guardProbe(rosters, event), Priority.Policy);
    ctx.hook('presence/full', (event) => guardProbe(rosters, event), Priority.Policy);
    // After the presence module has read the roster to send the session's unavailable presence.
    ctx.hook('resource-unbind', ({ session }) => rosters.sessionEnded(session.jid), Priority.Fallback);
    ctx.hook('user-deleted', ({ username }) => rosters.forget(new Jid(username, ctx.host.name)));
    for (const dispose of registerRefreshRoutes(routes, rosters, ctx.options.http_roster_admin_authorization_header)) ctx.onUnload(dispose);
    ctx.logger.info('rosters of this host come from http_roster_url and are kept in memory only: the built-in roster module and any roster storage setting are not used');
    for (const warning of optionWarnings(ctx.options, { isPublic: routes.isPublic })) ctx.logger.warn(warning);
  },
});
