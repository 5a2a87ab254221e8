/**
 * Directed presence (RFC 6121 §4.6): available presence a resource sends to a particular entity
 * is remembered (in `session.directedPresence`) so that the entity hears when the resource goes
 * away (§4.6.3); directed unavailable forgets it.
 */
import type { StanzaEvent } from '../server/hooks/index.js';
import type { PresenceContext } from './presence-context.js';
import { contactState } from './roster.js';
import { hasSubscriptionFrom } from './subscription-state.js';

/** `pre-stanza` for presence with a `to` and no type or `unavailable`; never stops the stanza. */
export async function trackDirectedPresence(presence: PresenceContext, event: StanzaEvent): Promise<undefined> {
  const session = event.origin;
  const user = event.from.bare();
  if (session === undefined || event.to.bare().equals(user)) return undefined;
  const target = event.to.toString();
  if (event.stanza.attrs.type === 'unavailable') {
    session.directedPresence.delete(target);
    return undefined;
  }
  // A subscribed contact hears of the resource's departure from the broadcast anyway (§4.6.2).
  const roster = await presence.roster()?.load(user);
  if (event.to.isBare && roster?.ok === true && hasSubscriptionFrom(contactState(roster.value, target))) return undefined;
  session.directedPresence.add(target);
  return undefined;
}
