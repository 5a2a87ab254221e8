/**
 * Enforcement of blocklists (XEP-0191 §3.5, §3.6): nothing from a blocked entity reaches the user,
 * and nothing the user's client addresses to a blocked entity leaves the server.
 */
import { StanzaError } from '../server/errors/index.js';
import type { StanzaEvent } from '../server/hooks/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { NS } from '../server/xml/ns.js';
import { errorReply } from '../server/xml/reply.js';
import { blocklistServiceKey, type BlocklistService } from './blocklist-service.js';

const NOT_ACCEPTABLE_BLOCKED = StanzaError.cancel('not-acceptable', {
  text: 'You have blocked this JID',
  appCondition: { name: 'blocked', xmlns: NS.blockingErrors },
});

function isRequest(event: StanzaEvent): boolean {
  const type = event.stanza.attrs.type;
  return event.stanza.name === 'iq' && (type === 'get' || type === 'set');
}

/**
 * XEP-0191 §3.5, for a stanza addressed to a user of this host: presence (notifications,
 * subscriptions, probes) vanishes; messages and iq requests get `service-unavailable`, exactly
 * what an account that does not exist would answer; anything else vanishes.
 */
export async function guardInbound(service: BlocklistService, event: StanzaEvent): Promise<true | StanzaError | undefined> {
  if (!(await service.blocks(event.to.bare(), event.from))) return undefined;
  const { stanza } = event;
  if (stanza.name === 'message' && stanza.attrs.type !== 'error') return StanzaError.cancel('service-unavailable');
  if (isRequest(event)) return StanzaError.cancel('service-unavailable');
  return true;
}

/**
 * `pre-stanza` on the sender's host. XEP-0191 §3.6: a stanza to an entity the user blocks is
 * refused with `not-acceptable` and `<blocked xmlns='urn:xmpp:blocking:errors'/>` (errors and iq
 * results, which must not be answered, vanish). An iq request to a local user who blocks the
 * sender is answered here as well: requests bound to a payload (disco, …) are answered on the
 * recipient's host before its stanza events, so the inbound guard would not see them.
 */
export async function guardOutbound(
  ctx: ModuleContext<unknown>, service: BlocklistService, event: StanzaEvent,
): Promise<true | StanzaError | undefined> {
  const sender = event.from.bare();
  if (event.to.bare().equals(sender)) return undefined;
  if (await service.blocks(sender, event.to)) return answerSender(event, NOT_ACCEPTABLE_BLOCKED);
  if (!isRequest(event) || event.to.local === '') return undefined;
  const host = ctx.hostByName(event.to.domain);
  const recipient = host === undefined ? undefined : ctx.service(blocklistServiceKey, host);
  if (recipient !== undefined && (await recipient.blocks(event.to.bare(), event.from))) return answerSender(event, StanzaError.cancel('service-unavailable'));
  return undefined;
}

/**
 * The error goes straight back to the sending session rather than through the router: routed, it
 * would come from the blocked entity's address and the user's own block would swallow it.
 * `errorReply` gives nothing for errors and iq results, which are dropped.
 */
function answerSender(event: StanzaEvent, error: StanzaError): true {
  const reply = errorReply(event.stanza, error);
  if (reply !== undefined) event.origin?.send(reply);
  return true;
}
