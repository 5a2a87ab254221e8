/**
 * The `csi` module (Prosody's name; XEP-0352 Client State Indication, the protocol half): offers
 * the `<csi/>` stream feature and turns the client's `<active/>` and `<inactive/>` nonzas into
 * `csi-client-active` / `csi-client-inactive`. What the server then does is another module's
 * choice (`csi_simple`), as in Prosody, so a different strategy replaces only that one.
 */
import { defineModule } from '../../server/modules/index.js';
import { NS } from '../../server/xml/index.js';
import './csi-events.js';

export const csiModule = defineModule({
  name: 'csi',
  description: 'Client State Indication (XEP-0352): the stream feature and the client\'s state changes',
  autoload: true,
  load(ctx) {
    // XEP-0352 §2: offered once the client has authenticated.
    ctx.hook('stream-features', ({ features, authenticated }) => {
      if (authenticated) features.c('csi', { xmlns: NS.csi });
    });
    ctx.hook('stream-nonza', ({ session, element, host }) => {
      if (element.attrs.xmlns !== NS.csi) return undefined;
      // Anything else in the namespace is not a nonza this server knows: the stream error stands.
      if (element.name !== 'active' && element.name !== 'inactive') return undefined;
      session.logger.debug({ csi: element.name }, 'client state');
      host.hooks.notify(element.name === 'active' ? 'csi-client-active' : 'csi-client-inactive', { session, host });
      return true;
    });
  },
});
