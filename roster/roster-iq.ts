/**
 * Roster get and set (RFC 6121 §2.1.3, §2.3 – §2.5, §2.6): answered for the account's own
 * resources only, from and through the roster service.
 */
import type { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../server/hooks/index.js';
import type { Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { iqResult, NS } from '../server/xml/index.js';
import { sendUnavailableFromResources } from './account-presence.js';
import { typedPresence } from './presence-stanzas.js';
import { applyRosterSet, parseRosterSetItem, rosterQueryElement, type ParsedRosterSet, type RosterItemLimits } from './roster-item.js';
import type { RosterService } from './roster-service.js';
import { planRosterGet } from './roster-version.js';
import { checkRosterCapacity, contactState } from './roster.js';
import { hasSubscriptionFrom, hasSubscriptionTo, type SubscriptionState } from './subscription-state.js';

/**
 * Roster get (RFC 6121 §2.1.3): the full roster, or an empty result when the client's `ver` is
 * current (§2.6.3). The requesting resource becomes interested (§2.2). Replies go straight to the
 * session so they always precede the pushes that follow.
 */
export async function answerRosterGet(service: RosterService, event: StanzaEvent): Promise<true | StanzaError> {
  const session = event.origin;
  // Another account's roster is not a service offered to anyone (RFC 6121 §2.1.3, §8.5.2.1.3).
  if (session === undefined || !isOwnRequest(event)) return StanzaError.cancel('service-unavailable');
  const roster = await service.load(event.to);
  if (!roster.ok) return roster.error;
  const requested: unknown = event.stanza.getChild('query', NS.roster)?.attrs.ver;
  session.rosterInterested = true;
  const plan = service.versioning ? planRosterGet(typeof requested === 'string' ? requested : undefined, roster.value.version) : undefined;
  if (plan?.kind === 'current') {
    session.send(iqResult(event.stanza));
    return true;
  }
  const items = [...roster.value.items.values()].map(service.itemElement);
  session.send(iqResult(event.stanza, rosterQueryElement(items, plan?.ver)));
  return true;
}

/** Roster set (RFC 6121 §2.3 – §2.5): add, update or remove one item, then push it. */
export async function answerRosterSet(
  ctx: ModuleContext<unknown>, service: RosterService, event: StanzaEvent, limits: RosterItemLimits,
): Promise<true | StanzaError> {
  const session = event.origin;
  // RFC 6121 §2.3.3: only the account's own resources may change its roster.
  if (session === undefined || !isOwnRequest(event)) return StanzaError.auth('forbidden');
  const user = event.to.bare();
  const query = event.stanza.getChild('query', NS.roster);
  if (query === undefined) return StanzaError.modify('bad-request');
  const parsed = parseRosterSetItem(query, user, limits);
  if (!parsed.ok) return parsed.error;
  const set = parsed.value;
  if (set.action === 'remove') return removeItem(ctx, service, event, user, set.jid);
  return updateItem(service, event, user, set);
}

/** RFC 6121 §2.3, §2.4: the item is stored exactly as sent, subscription fields kept. */
async function updateItem(
  service: RosterService, event: StanzaEvent, user: Jid, set: Extract<ParsedRosterSet, { action: 'update' }>,
): Promise<true | StanzaError> {
  const jid = set.jid.toString();
  const result = await service.update(user, (roster) => {
    const room = checkRosterCapacity(roster, jid, service.maxSize);
    if (!room.ok) return room;
    roster.items.set(jid, applyRosterSet(roster.items.get(jid), set));
    return ok({ value: undefined, changed: true, pushed: jid });
  });
  if (!result.ok) return result.error;
  event.origin?.send(iqResult(event.stanza));
  return true;
}

/** RFC 6121 §2.5: the item goes, and with it every subscription in either direction. */
async function removeItem(
  ctx: ModuleContext<unknown>, service: RosterService, event: StanzaEvent, user: Jid, contact: Jid,
): Promise<true | StanzaError> {
  const jid = contact.toString();
  const result = await service.update(user, (roster): Result<{ value: SubscriptionState; changed: boolean; pushed: string }, StanzaError> => {
    // §2.5.3: removing an item that is not there is item-not-found.
    if (!roster.items.has(jid)) return err(StanzaError.cancel('item-not-found'));
    const before = contactState(roster, jid);
    roster.items.delete(jid);
    roster.pendingIn.delete(jid);
    return ok({ value: before, changed: true, pushed: jid });
  });
  if (!result.ok) return result.error;
  event.origin?.send(iqResult(event.stanza));
  cancelSubscriptions(ctx, user, jid, result.value);
  return true;
}

/**
 * RFC 6121 §2.5.2: the user's server cancels the user's subscription (or request) with
 * `unsubscribe` and the contact's (or denies its request) with `unsubscribed`, the latter after
 * unavailable presence from each resource, while the contact may still receive it (§3.2.2).
 */
function cancelSubscriptions(ctx: ModuleContext<unknown>, user: Jid, jid: string, before: SubscriptionState): void {
  const from = user.toString();
  if (hasSubscriptionTo(before) || before.ask === 'subscribe') ctx.send(typedPresence('unsubscribe', from, jid));
  if (hasSubscriptionFrom(before)) sendUnavailableFromResources(ctx, user, jid);
  if (hasSubscriptionFrom(before) || before.pendingIn) ctx.send(typedPresence('unsubscribed', from, jid));
}

/** The roster features offered after authentication (XEP-0237 / RFC 6121 §2.6.1, §3.4.1). */
export function addRosterFeatures(features: Element, versioning: boolean): void {
  if (versioning) features.c('ver', { xmlns: NS.rosterVer });
  features.c('sub', { xmlns: NS.preApproval });
}
