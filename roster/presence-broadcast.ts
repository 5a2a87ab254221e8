/**
 * Broadcast presence (RFC 6121 §4.2, §4.4, §4.5): a resource's availability goes to the contacts
 * subscribed to the user and to the user's own available resources; initial presence also probes
 * the contacts the user is subscribed to and hands the new resource what waited for it.
 */
import type { Element } from 'ltx';
import type { StanzaEvent } from '../server/hooks/index.js';
import type { Jid } from '../server/jid/index.js';
import type { Session } from '../server/session/index.js';
import { availableSessionsOf } from './account-presence.js';
import { isBlocked } from './blocklist.js';
import { redeliverPendingRequests } from './pending-requests.js';
import type { PresenceContext } from './presence-context.js';
import { presenceOfSession, readdressed, typedPresence } from './presence-stanzas.js';

/** `presence/broadcast`: the client sent presence without `to`. Never ends the hook chain. */
export async function onBroadcastPresence(presence: PresenceContext, event: StanzaEvent): Promise<undefined> {
  const session = event.origin;
  if (session === undefined) return undefined;
  if (event.stanza.attrs.type === 'unavailable') {
    await withdrawPresence(presence, session, event.stanza);
    return undefined;
  }
  const initial = !presence.announced.has(session);
  presence.announced.add(session);
  const user = session.jid.bare();
  const [blocked, subscribers] = await Promise.all([presence.blocklist(user), subscribersOf(presence, user)]);
  // The session may have ended while these were read; its unavailable presence went out then.
  if (session.closed || !presence.announced.has(session)) return undefined;
  const from = session.jid.toString();
  for (const contact of subscribers) if (!isBlocked(blocked, contact)) presence.ctx.sendParsed(readdressed(event.stanza, from, contact.toString()), session.jid, contact);
  // §4.2.2, §4.4.2: every available resource of the user, the sending one included.
  for (const own of availableSessionsOf(presence.ctx, user)) own.send(readdressed(event.stanza, from, own.jid.toString()));
  if (initial) await announceInitial(presence, session, user, blocked);
  return undefined;
}

/**
 * RFC 6121 §4.2.2: probes (from the bare JID) to every contact whose presence the user receives,
 * the presence of the user's other resources to the new one, then the subscription requests
 * still waiting for an answer (§3.1.3).
 */
async function announceInitial(presence: PresenceContext, session: Session, user: Jid, blocked: ReadonlySet<string>): Promise<void> {
  const contacts = (await presence.roster()?.subscriptions(user)) ?? [];
  for (const contact of contacts) {
    if (!isBlocked(blocked, contact)) presence.ctx.sendParsed(typedPresence('probe', user.toString(), contact.toString()), user, contact);
  }
  for (const own of availableSessionsOf(presence.ctx, user)) {
    if (own === session) continue;
    const current = presenceOfSession(own, session.jid.toString());
    if (current !== undefined) session.send(current);
  }
  await redeliverPendingRequests(presence, session);
}

/**
 * Unavailable presence for a session that sent it (`stanza`) or ended (RFC 6121 §4.5.2): to the
 * subscribed contacts and the user's other resources if the session had announced itself, and to
 * every entity it sent directed presence to (§4.6.3), whose list is then cleared.
 */
export async function withdrawPresence(presence: PresenceContext, session: Session, stanza: Element | undefined): Promise<void> {
  const from = session.jid.toString();
  const build = (to: string): Element => (stanza === undefined ? typedPresence('unavailable', from, to) : readdressed(stanza, from, to));
  const wasAvailable = presence.announced.delete(session);
  const user = session.jid.bare();
  if (wasAvailable) {
    const [blocked, subscribers] = await Promise.all([presence.blocklist(user), subscribersOf(presence, user)]);
    for (const contact of subscribers) if (!isBlocked(blocked, contact)) presence.ctx.sendParsed(build(contact.toString()), session.jid, contact);
    for (const own of availableSessionsOf(presence.ctx, user)) if (own !== session) own.send(build(own.jid.toString()));
  }
  const directed = [...session.directedPresence];
  session.directedPresence.clear();
  for (const target of directed) presence.ctx.send(build(target));
}

/**
 * Contacts with a subscription from the user (from, both): they receive its broadcast presence,
 * minus those the user blocks (XEP-0191 §3.3), which callers filter out.
 */
async function subscribersOf(presence: PresenceContext, user: Jid): Promise<Jid[]> {
  return (await presence.roster()?.subscribers(user)) ?? [];
}
