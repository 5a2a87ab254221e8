/**
 * The `vcard` module (Prosody's name): vCards stored by the server (XEP-0054 vcard-temp), with
 * the avatar hash of XEP-0153 put in users' presence by the server (XEP-0398 §4).
 *
 * Loaded on every VirtualHost (autoload): Prosody's default configuration serves vcard-temp
 * (through mod_vcard_legacy, over PEP), and clients look for avatars there. `modules_disabled =
 * { "vcard" }` turns it off. Offers `vcardServiceKey` (read, replace the photo, hear of vCards
 * clients set), through which `vcard_legacy` converts avatars (XEP-0398).
 */
import { Priority } from '../../server/hooks/index.js';
import { defineModule } from '../../server/modules/index.js';
import { AvatarPresence } from './avatar-presence.js';
import { answerVCardGet, answerVCardSet, type VCardIqContext } from './vcard-iq.js';
import { VCARD_TEMP } from './vcard-namespaces.js';
import { vcardOptions } from './vcard-options.js';
import { VCardStore } from './vcard-store.js';
import { createVCardService, vcardServiceKey, vcardSet, type VCardSetListener } from './vcard-service.js';

/**
 * Before the presence module broadcasts or routes the presence (0), after guards (100) and policy
 * (50): a presence that is refused costs no vCard lookup.
 */
const AVATAR_HASH_PRIORITY = Priority.Default + 30;

export const vcardModule = defineModule({
  name: 'vcard',
  description: 'Stored vCards (XEP-0054 vcard-temp) and vCard avatar hashes in presence (XEP-0153)',
  autoload: true,
  options: vcardOptions,
  load(ctx) {
    const store = new VCardStore(ctx.storage<unknown>('vcard'));
    ctx.onUnload(() => store.close());
    const avatars = new AvatarPresence(store, ctx.host, ctx.sessions, ctx.logger);
    const listeners = new Set<VCardSetListener>();
    const onListenerError = (error: unknown): void => ctx.logger.warn({ err: error }, 'vCard change handling failed');
    const iq: VCardIqContext = {
      store,
      maxSize: ctx.options.vcard_max_size,
      accountExists: async (username) => (await ctx.accounts?.exists(username)) ?? false,
      send: (stanza) => ctx.send(stanza),
      changed: (username, vcard) => {
        avatars.vcardChanged(username);
        vcardSet(listeners, username, vcard, onListenerError);
      },
    };
    const changed = (username: string): void => avatars.vcardChanged(username);
    ctx.provide(vcardServiceKey, createVCardService({ store, maxSize: ctx.options.vcard_max_size, listeners, changed }));
    ctx.hook(`iq-get/bare/${VCARD_TEMP}:vCard`, (event) => answerVCardGet(iq, event));
    ctx.hook(`iq-set/bare/${VCARD_TEMP}:vCard`, (event) => answerVCardSet(iq, event));
    ctx.addFeature(VCARD_TEMP);
    ctx.onUnload(ctx.host.accountDisco.addFeature(VCARD_TEMP));

    // XEP-0398 §4: broadcast presence, and directed presence such as room joins.
    ctx.hook('presence/broadcast', (event) => avatars.broadcast(event), AVATAR_HASH_PRIORITY);
    ctx.hook('pre-stanza', (event) => avatars.outgoing(event), AVATAR_HASH_PRIORITY);

    ctx.hook('user-deleted', async ({ username }) => {
      await store.remove(username);
      return undefined;
    });
  },
});
