/**
 * XMPP Ping (XEP-0199): the server answers pings addressed to it, and pings to an account's bare
 * JID (or without `to`) on the account's behalf: RFC 6120 §10.3.3 and RFC 6121 §8.5.2.1.3 say
 * the server handles an iq request to a bare JID itself, and Prosody's mod_ping answers both.
 */
import { StanzaError } from '../../errors/index.js';
import type { StanzaEvent } from '../../hooks/index.js';
import { iqResult, NS } from '../../xml/index.js';
import { defineModule } from '../module-definition.js';
import type { ModuleContext } from '../module-context.js';

export const pingModule = defineModule({
  name: 'ping',
  description: 'Answers XMPP pings (XEP-0199) to the server and to accounts\' bare JIDs',
  hostKinds: ['user', 'component'],
  autoload: true,
  load(ctx) {
    ctx.addFeature(NS.ping);
    ctx.hook('iq-get/host/urn:xmpp:ping:ping', ({ stanza }) => {
      ctx.send(iqResult(stanza));
      return true;
    });
    // On a component a bare JID is one of its entities (a MUC room): the component answers.
    if (ctx.host.kind === 'user') ctx.hook('iq-get/bare/urn:xmpp:ping:ping', (event) => answerForAccount(ctx, event));
  },
});

/** RFC 6121 §8.5.1: an account that does not exist answers nothing but `service-unavailable`. */
function answerForAccount(ctx: ModuleContext<unknown>, event: StanzaEvent): true | StanzaError | Promise<true | StanzaError> {
  const reply = (exists: boolean | undefined): true | StanzaError => {
    if (exists !== true) return StanzaError.cancel('service-unavailable');
    ctx.send(iqResult(event.stanza));
    return true;
  };
  // The sender's own account exists: no store lookup for the common "no `to`" keepalive.
  if (event.to.equals(event.from.bare())) return reply(true);
  return ctx.accounts === undefined ? reply(false) : ctx.accounts.exists(event.to.local).then(reply);
}
