/**
 * The `smacks` module (Prosody's name; XEP-0198 stream management): offers `<sm/>` to clients
 * once authenticated and holds the host's resumable sessions. The protocol itself runs in the
 * client stream (`server/stream/xmpp-stream.ts`), which asks this host's registry for it.
 */
import { defineModule } from '../../modules/index.js';
import { NS } from '../../xml/index.js';
import { offerStreamManagement, ResumptionRegistry } from './resumption-registry.js';
import { smacksOptionShape, smOptionsFrom } from './sm-options.js';

export const smacksModule = defineModule({
  name: 'smacks',
  description: 'Stream management: acknowledgements, hibernation and resumption of client sessions (XEP-0198)',
  autoload: true,
  options: smacksOptionShape,
  load(ctx) {
    const registry = new ResumptionRegistry(smOptionsFrom(ctx.options), ctx.logger);
    const withdraw = offerStreamManagement(ctx.host, registry);
    ctx.hook('stream-features', ({ features, authenticated }) => {
      if (authenticated) features.c('sm', { xmlns: NS.sm });
    });
    ctx.onUnload(() => {
      withdraw();
      registry.endAll();
    });
  },
});
