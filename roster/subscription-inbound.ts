/**
 * Subscription stanzas arriving for a user of this host (RFC 6121 §3, Appendix A.3): the roster
 * changes, the stanza reaches the user's available resources (a request is also kept until
 * answered, §3.1.3), and the server answers on the user's behalf where the RFC says so.
 */
import type { StanzaError } from '../server/errors/index.js';
import type { StanzaEvent } from '../server/hooks/index.js';
import { delayStamp } from './delay.js';
import { availableSessionsOf, sendCurrentPresence, sendUnavailableFromResources } from './account-presence.js';
import type { PresenceContext } from './presence-context.js';
import { readdressed, typedPresence } from './presence-stanzas.js';
import { pendingFromStanza } from './pending-subscription.js';
import type { PendingSubscription } from './roster.js';
import type { SubscriptionStanzaType } from './subscription-state.js';
import { applySubscription } from './subscription-outbound.js';

/** `presence/bare` or `presence/full` carrying a subscription type (a full JID counts as its bare JID). */
export async function processInboundSubscription(
  presence: PresenceContext, event: StanzaEvent, type: SubscriptionStanzaType,
): Promise<true | StanzaError | undefined> {
  const { ctx } = presence;
  const user = event.to.bare();
  const contact = event.from.bare();
  if (contact.equals(user)) return true;
  const jid = contact.toString();
  if ((await ctx.accounts?.exists(user.local)) !== true) {
    // RFC 6121 §8.5.1, no such user: a request is answered with unsubscribed; the rest is dropped.
    if (type === 'subscribe') ctx.send(typedPresence('unsubscribed', user.toString(), jid));
    return true;
  }
  const service = presence.roster();
  // Without a roster service the stanza is delivered as it is (§8.5.2.1.2).
  if (service === undefined) return undefined;
  const stanza = readdressed(event.stanza, jid, user.toString());
  const request = (): PendingSubscription => pendingFromStanza(stanza, delayStamp());
  const result = await applySubscription(service, user, jid, 'inbound', type, request);
  // A request past max_roster_size or the pending bounds: the sender learns why (the router
  // answers with the error).
  if (!result.ok) return result.error;
  const outcome = result.value;
  if (outcome.presence === 'unavailable') sendUnavailableFromResources(ctx, user, jid);
  if (outcome.forward) for (const session of availableSessionsOf(ctx, user)) session.send(stanza);
  if (outcome.autoReply !== undefined) ctx.send(typedPresence(outcome.autoReply, user.toString(), jid));
  if (outcome.presence === 'available') sendCurrentPresence(ctx, user, jid);
  return true;
}
