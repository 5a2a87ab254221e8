/**
 * The `roster` module (Prosody's name): rosters kept in the host's `roster` store, roster get and
 * set with pushes (RFC 6121 §2), versioning (§2.6, XEP-0237) and the pre-approval feature (§3.4).
 * It provides the roster service; a plugin that `replaces: ['roster']` provides its own.
 */
import * as z from 'zod';
import { Jid } from '../server/jid/index.js';
import { defineModule } from '../server/modules/index.js';
import { answerRosterGet, answerRosterSet, addRosterFeatures } from './roster-iq.js';
import { DEFAULT_MAX_PENDING_SUBSCRIPTION_BYTES, DEFAULT_MAX_PENDING_SUBSCRIPTIONS } from './pending-subscription.js';
import { DEFAULT_ROSTER_ITEM_LIMITS } from './roster-item.js';
import { createRosterService, rosterServiceKey } from './roster-service.js';
import { createKeyValueRosterStore, type SerialisedRoster } from './roster-store.js';
import { DEFAULT_MAX_ROSTER_SIZE } from './roster.js';

export const rosterModule = defineModule({
  name: 'roster',
  description: 'Rosters (RFC 6121 §2) with pushes, versioning (XEP-0237) and subscription pre-approval',
  autoload: true,
  options: {
    max_roster_size: z.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_ROSTER_SIZE)
      .describe('Most contacts (items plus pending requests) in one roster.'),
    max_roster_name_length: z.number().int().min(1).max(65_535).default(DEFAULT_ROSTER_ITEM_LIMITS.maxNameLength)
      .describe('Most UTF-8 bytes in a roster item name or group name.'),
    max_pending_subscriptions: z.number().int().min(0).max(1_000_000).default(DEFAULT_MAX_PENDING_SUBSCRIPTIONS)
      .describe('[Salon] Most unanswered subscription requests kept for one user; more are refused (resource-constraint).'),
    max_pending_subscription_bytes: z.number().int().min(0).max(1024 * 1024 * 1024).default(DEFAULT_MAX_PENDING_SUBSCRIPTION_BYTES)
      .describe('[Salon] Most bytes of unanswered subscription requests (JID, status, nickname) kept for one user.'),
  },
  load(ctx) {
    const store = ctx.storage<SerialisedRoster>('roster');
    const service = createRosterService(ctx, {
      store: createKeyValueRosterStore(store),
      maxSize: ctx.options.max_roster_size,
      pendingLimits: { maxRequests: ctx.options.max_pending_subscriptions, maxBytes: ctx.options.max_pending_subscription_bytes },
    });
    ctx.provide(rosterServiceKey, service);
    const limits = { maxNameLength: ctx.options.max_roster_name_length };
    ctx.hook('stream-features', ({ features, authenticated }) => {
      if (authenticated) addRosterFeatures(features, service.versioning);
    });
    ctx.hook('iq-get/bare/jabber:iq:roster:query', (event) => answerRosterGet(service, event));
    ctx.hook('iq-set/bare/jabber:iq:roster:query', (event) => answerRosterSet(ctx, service, event, limits));
    // A deleted account leaves no roster behind for a later account of the same name.
    ctx.hook('user-deleted', async ({ username }) => {
      service.forget(new Jid(username, ctx.host.name));
      await store.delete(username);
    });
  },
});
