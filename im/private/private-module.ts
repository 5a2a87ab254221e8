/**
 * The `private` module (Prosody's name; XEP-0049 Private XML Storage): a user's clients keep
 * arbitrary XML on the server, one fragment per element name and namespace (XEP-0048 bookmarks,
 * client preferences, roster notes). Enabled on every VirtualHost unless listed in
 * `modules_disabled`, as Prosody's default configuration enables mod_private.
 *
 * Bounded by `private_max_bytes` per user (Prosody has no limit); the data goes with the account.
 */
import * as z from 'zod';
import { defineModule } from '../../server/modules/index.js';
import { answerPrivateGet, answerPrivateSet } from './private-iq.js';
import { PRIVATE_NS } from './private-request.js';
import { createPrivateStorage, privateStorageKey, type PrivateInterceptor } from './private-service.js';
import { PrivateStore } from './private-store.js';

/**
 * Room for hundreds of XEP-0048 bookmarks and a client's preferences, while a user cannot fill
 * the disk: a few sets at the default stanza size limit (256 KiB) reach it.
 */
export const DEFAULT_PRIVATE_MAX_BYTES = 1024 * 1024;

export const privateModule = defineModule({
  name: 'private',
  description: 'Private XML Storage (XEP-0049): clients keep XML fragments in the account',
  autoload: true,
  options: {
    private_max_bytes: z.number().int().min(0).max(1024 * 1024 * 1024).default(DEFAULT_PRIVATE_MAX_BYTES)
      .describe('[Salon] Most bytes of private XML (XEP-0049) one user may store; a set that would pass it is refused with resource-constraint.'),
  },
  load(ctx) {
    const store = new PrivateStore(ctx.storage<unknown>('private'), ctx.options.private_max_bytes);
    ctx.addFeature(PRIVATE_NS);
    const interceptors = new Map<string, PrivateInterceptor>();
    ctx.provide(privateStorageKey, createPrivateStorage(store, interceptors));
    ctx.hook(`iq-get/bare/${PRIVATE_NS}:query`, (event) => answerPrivateGet(store, event, interceptors));
    ctx.hook(`iq-set/bare/${PRIVATE_NS}:query`, (event) => answerPrivateSet(store, event, interceptors));
    ctx.hook('user-deleted', async ({ username }) => {
      await store.remove(username);
      return undefined;
    });
  },
});
