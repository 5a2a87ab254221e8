/**
 * Subscription stanzas a user's client sends (RFC 6121 §3, Appendix A.2), processed on the user's
 * host before routing: the roster changes, the stanza leaves stamped with the user's bare JID
 * (§3.1.2), and the contact's server processes it as inbound (subscription-inbound.ts) — the two
 * steps stay apart so that a contact on a remote server works the same way.
 */
import type { Element } from 'ltx';
import { ok, type Result, type StanzaError } from '../server/errors/index.js';
import type { StanzaEvent } from '../server/hooks/index.js';
import type { Jid } from '../server/jid/index.js';
import { sendCurrentPresence, sendUnavailableFromResources } from './account-presence.js';
import type { PresenceContext } from './presence-context.js';
import { readdressed } from './presence-stanzas.js';
import { DEFAULT_PENDING_LIMITS, checkPendingCapacity } from './pending-subscription.js';
import type { RosterService } from './roster-service.js';
import { checkRosterCapacity, contactState, setContactState, type PendingSubscription, type Roster } from './roster.js';
import { transition, type SubscriptionDirection, type SubscriptionStanzaType, type TransitionResult } from './subscription-state.js';

const SUBSCRIPTION_TYPES: ReadonlySet<unknown> = new Set<SubscriptionStanzaType>(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

/** The subscription type of a presence stanza, or undefined for any other presence. */
export function subscriptionType(stanza: Element): SubscriptionStanzaType | undefined {
  const type: unknown = stanza.attrs.type;
  return SUBSCRIPTION_TYPES.has(type) ? (type as SubscriptionStanzaType) : undefined;
}

/**
 * Applies Appendix A to the roster of `user` for a stanza about `contact`, within `max_roster_size`
 * for a contact not yet in the roster. `request` is stored for a newly pending inbound request,
 * within the pending bounds (`pending-subscription.ts`).
 */
export function applySubscription(
  service: RosterService, user: Jid, contact: string,
  direction: SubscriptionDirection, type: SubscriptionStanzaType, request?: () => PendingSubscription,
): Promise<Result<TransitionResult, StanzaError>> {
  return service.update(user, (roster: Roster) => {
    const before = contactState(roster, contact);
    const result = transition(before, direction, type);
    if (result.changed) {
      const room = checkRosterCapacity(roster, contact, service.maxSize);
      if (!room.ok) return room;
      const newlyPending = result.state.pendingIn && !before.pendingIn;
      const pending = newlyPending ? request?.() : undefined;
      if (pending !== undefined) {
        // `max_pending_subscriptions`, `max_pending_subscription_bytes`: nothing changes when refused.
        const kept = checkPendingCapacity(roster.pendingIn, contact, pending, service.pendingLimits ?? DEFAULT_PENDING_LIMITS);
        if (!kept.ok) return kept;
      }
      setContactState(roster, contact, result.state, pending);
    }
    return ok({ value: result, changed: result.changed, pushed: result.rosterPush ? contact : undefined });
  });
}

/** `pre-stanza` for an outbound subscription stanza; ends the chain (the stanza is routed here). */
export async function processOutboundSubscription(
  presence: PresenceContext, event: StanzaEvent, type: SubscriptionStanzaType,
): Promise<true | StanzaError | undefined> {
  const user = event.from.bare();
  const contact = event.to.bare();
  // The user is implicitly subscribed to itself; a self-subscription stanza changes nothing and
  // goes nowhere (as Prosody treats it: "no self contacts").
  if (contact.equals(user)) return true;
  const service = presence.roster();
  if (service === undefined) return undefined;
  const jid = contact.toString();
  const result = await applySubscription(service, user, jid, 'outbound', type);
  if (!result.ok) return result.error;
  const { ctx } = presence;
  // §3.2.2: the contact gets unavailable presence while it may still receive presence.
  if (result.value.presence === 'unavailable') sendUnavailableFromResources(ctx, user, jid);
  if (result.value.forward) ctx.send(readdressed(event.stanza, user.toString(), jid));
  // §3.1.5: after an approval the contact gets the user's current presence.
  if (result.value.presence === 'available') sendCurrentPresence(ctx, user, jid);
  return true;
}
