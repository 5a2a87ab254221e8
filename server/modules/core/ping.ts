/** XMPP Ping (XEP-0199): the server answers pings addressed to it. */
import { NS } from '../../xml/ns.js';
import { iqResult } from '../../xml/reply.js';
import { defineModule } from '../module-definition.js';

export const pingModule = defineModule({
  name: 'ping',
  description: 'Answers XMPP pings (XEP-0199) to the server',
  hostKinds: ['user', 'component'],
  autoload: true,
  load(ctx) {
    ctx.addFeature(NS.ping);
    ctx.hook('iq-get/host/urn:xmpp:ping:ping', ({ stanza }) => {
      ctx.send(iqResult(stanza));
      return true;
    });
  },
});
