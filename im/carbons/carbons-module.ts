/**
 * The `carbons` module (Prosody's name; XEP-0280 Message Carbons): keeps all of a user's
 * clients in the conversation. Enabled on every host unless listed in `modules_disabled`, as
 * Prosody's default configuration enables it.
 */
import { defineModule } from '../../server/modules/index.js';
import { NS } from '../../server/xml/index.js';
import { answerCarbonsToggle } from './carbons-iq.js';
import { CarbonsState } from './carbons-state.js';
import { copyReceived } from './received-copies.js';
import { copySent } from './sent-copies.js';

/**
 * Below the guards (100), policy (50) and the user archive (20, which stamps the stanza-id the
 * carbon then carries), above the router's delivery of the original (0).
 */
const CARBONS_PRIORITY = 10;

/** XEP-0280 v1.0: the server follows the eligibility rules of this version. */
const CARBONS_RULES = 'urn:xmpp:carbons:rules:0';

export const carbonsModule = defineModule({
  name: 'carbons',
  description: 'Message Carbons (XEP-0280): copies of messages to all of a user\'s clients',
  autoload: true,
  load(ctx) {
    const state = new CarbonsState();
    ctx.addFeature(NS.carbons);
    ctx.addFeature(CARBONS_RULES);
    ctx.hook(`iq-set/bare/${NS.carbons}:enable`, (event) => answerCarbonsToggle(state, event, true));
    ctx.hook(`iq-set/bare/${NS.carbons}:disable`, (event) => answerCarbonsToggle(state, event, false));
    const carbons = { sessions: ctx.sessions, state };
    ctx.hook('message/bare', (event) => copyReceived(carbons, event), CARBONS_PRIORITY);
    ctx.hook('message/full', (event) => copyReceived(carbons, event), CARBONS_PRIORITY);
    ctx.hook('pre-stanza', (event) => copySent(carbons, event), CARBONS_PRIORITY);
  },
});
