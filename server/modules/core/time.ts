/** Entity Time (XEP-0202): the server's UTC time. */
import { Element } from 'ltx';
import { iqResult, NS } from '../../xml/index.js';
import { defineModule } from '../module-definition.js';

export const timeModule = defineModule({
  name: 'time',
  description: 'Answers entity time requests (XEP-0202)',
  autoload: true,
  load(ctx) {
    ctx.addFeature(NS.time);
    ctx.hook('iq-get/host/urn:xmpp:time:time', ({ stanza }) => {
      const time = new Element('time', { xmlns: NS.time });
      time.c('tzo').t('+00:00');
      time.c('utc').t(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
      ctx.send(iqResult(stanza, time));
      return true;
    });
  },
});
