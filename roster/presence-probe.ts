/**
 * Presence probes arriving for a user of this host (RFC 6121 §4.3.2): answered by the server,
 * never delivered to the user's resources.
 */
import type { StanzaEvent } from '../server/hooks/index.js';
import { sendCurrentPresence } from './account-presence.js';
import type { PresenceContext } from './presence-context.js';
import { typedPresence } from './presence-stanzas.js';
import { contactState } from './roster.js';
import { hasSubscriptionFrom } from './subscription-state.js';

/**
 * A prober with a subscription from the user (or the user's own account) gets the last presence
 * of each available resource, or unavailable from the bare JID when none is available; anyone
 * else, a prober of a missing account included (§8.5.1), gets `unsubscribed` and nothing about
 * the user's presence, as Prosody answers.
 */
export async function answerProbe(presence: PresenceContext, event: StanzaEvent): Promise<true> {
  const user = event.to.bare();
  const prober = event.from.bare();
  let subscribed = prober.equals(user);
  if (!subscribed) {
    const service = presence.roster();
    const roster = service === undefined ? undefined : await service.load(user);
    // Without a roster nobody is known to be subscribed; a failed load reveals nothing either.
    if (roster === undefined || !roster.ok) return true;
    subscribed = hasSubscriptionFrom(contactState(roster.value, prober.toString()));
  }
  if (!subscribed) {
    presence.ctx.send(typedPresence('unsubscribed', user.toString(), prober.toString()));
    return true;
  }
  const replyTo = event.from.toString();
  if (sendCurrentPresence(presence.ctx, user, replyTo) === 0) presence.ctx.send(typedPresence('unavailable', user.toString(), replyTo));
  return true;
}
