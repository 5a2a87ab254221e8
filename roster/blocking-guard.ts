/**
 * Enforcement of blocklists (XEP-0191 §3.5, §3.6): nothing from a blocked entity reaches the user,
 * and nothing the user's client addresses to a blocked entity leaves the server.
 */
import { StanzaError } from '../server/errors/index.js';
import type { DeliveryEvent, StanzaEvent } from '../server/hooks/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { errorReply, NS } from '../server/xml/index.js';
import { blocklistServiceKey, type BlocklistService } from './blocklist-service.js';

const NOT_ACCEPTABLE_BLOCKED = StanzaError.cancel('not-acceptable', {
  text: 'You have blocked this JID',
  appCondition: { name: 'blocked', xmlns: NS.blockingErrors },
});

function isRequest(event: StanzaEvent): boolean {
  const type = event.stanza.attrs.type;
  return event.stanza.name === 'iq' && (type === 'get' || type === 'set');
}

type Verdict = true | StanzaError | undefined;

/**
 * XEP-0191 §3.5, for a stanza addressed to a user of this host: presence (notifications,
 * subscriptions, probes) vanishes; messages and iq requests get `service-unavailable`, exactly
 * what an account that does not exist would answer; anything else vanishes. Synchronous when the
 * recipient's list is in memory.
 */
export function guardInbound(service: BlocklistService, event: StanzaEvent): Verdict | Promise<Verdict> {
  const known = service.blocksNow(event.to.bare(), event.from);
  if (known === undefined) return service.blocks(event.to.bare(), event.from).then((blocked) => inboundVerdict(blocked, event));
  return inboundVerdict(known, event);
}

function inboundVerdict(blocked: boolean, event: StanzaEvent): Verdict {
  if (!blocked) return undefined;
  const { stanza } = event;
  if (stanza.name === 'message' && stanza.attrs.type !== 'error') return StanzaError.cancel('service-unavailable');
  if (isRequest(event)) return StanzaError.cancel('service-unavailable');
  return true;
}

/**
 * XEP-0191 §3.5 for a stanza a service writes straight to a user's session (`deliver-stanza`: a
 * room's messages and presence, blocked by the room's JID or an occupant's): it vanishes. No
 * error goes back: the room would take it for the occupant's own and could remove them
 * (XEP-0045 §18.1.2). Runs for every recipient of a room's fan-out: an empty or cached list
 * answers synchronously.
 */
export function guardDelivery(service: BlocklistService, event: DeliveryEvent): true | undefined | Promise<true | undefined> {
  const from = event.from;
  if (from === undefined) return undefined;
  const user = event.to.bare();
  const known = service.blocksNow(user, from);
  if (known === undefined) return service.blocks(user, from).then((blocked) => (blocked ? true : undefined));
  return known ? true : undefined;
}

/**
 * `pre-stanza` on the sender's host. XEP-0191 §3.6: a stanza to an entity the user blocks is
 * refused with `not-acceptable` and `<blocked xmlns='urn:xmpp:blocking:errors'/>` (errors and iq
 * results, which must not be answered, vanish). An iq request to a local user who blocks the
 * sender is answered here as well: requests bound to a payload (disco, …) are answered on the
 * recipient's host before its stanza events, so the inbound guard would not see them.
 */
export function guardOutbound(ctx: ModuleContext<unknown>, service: BlocklistService, event: StanzaEvent): Verdict | Promise<Verdict> {
  const sender = event.from.bare();
  if (event.to.bare().equals(sender)) return undefined;
  const known = service.blocksNow(sender, event.to);
  if (known === undefined) return service.blocks(sender, event.to).then((blocked) => outboundVerdict(ctx, blocked, event));
  return outboundVerdict(ctx, known, event);
}

function outboundVerdict(ctx: ModuleContext<unknown>, senderBlocks: boolean, event: StanzaEvent): Verdict | Promise<Verdict> {
  if (senderBlocks) return answerSender(event, NOT_ACCEPTABLE_BLOCKED);
  if (!isRequest(event) || event.to.local === '') return undefined;
  const host = ctx.hostByName(event.to.domain);
  const recipient = host === undefined ? undefined : ctx.service(blocklistServiceKey, host);
  if (recipient === undefined) return undefined;
  const known = recipient.blocksNow(event.to.bare(), event.from);
  const answer = (blocked: boolean): Verdict => (blocked ? answerSender(event, StanzaError.cancel('service-unavailable')) : undefined);
  if (known === undefined) return recipient.blocks(event.to.bare(), event.from).then(answer);
  return answer(known);
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
