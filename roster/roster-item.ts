/**
 * Roster items (RFC 6121 §2.1): the stored shape, the checks on a client's roster set
 * (§2.3.3, §2.5.3) and the `<item/>` element sent in roster results and pushes.
 */
import { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { parseJid, type Jid } from '../server/jid/index.js';
import { NS } from '../server/xml/index.js';
import { subscriptionState, type Subscription, type SubscriptionState } from './subscription-state.js';

/** One contact in a user's roster. */
export interface RosterItem {
  /** The contact's bare JID, normalised (the roster key). */
  jid: string;
  name?: string;
  groups: string[];
  subscription: Subscription;
  /** Pending out (RFC 6121 §2.1.2.2). */
  ask?: 'subscribe';
  /** The contact asked and the user has not answered; never on the wire. */
  pendingIn?: boolean;
  /** Subscription pre-approval (RFC 6121 §3.4). */
  approved?: boolean;
}

/** Limits on what a client may store in one item. */
export interface RosterItemLimits {
  /**
   * `max_roster_name_length`: the most UTF-8 bytes in an item's name or in one group name
   * (RFC 6121 §2.3.3 leaves the limit to the server). Default 1023, the size of a JID part.
   */
  maxNameLength: number;
}

export const DEFAULT_ROSTER_ITEM_LIMITS: Readonly<RosterItemLimits> = { maxNameLength: 1023 };

/** A valid roster set: remove the item, or store it with exactly this name and these groups. */
export type ParsedRosterSet =
  | { readonly action: 'remove'; readonly jid: Jid }
  | { readonly action: 'update'; readonly jid: Jid; readonly name: string | undefined; readonly groups: readonly string[] };

/**
 * Checks the `<query xmlns='jabber:iq:roster'/>` of a roster set sent by `owner`.
 * Client-supplied `ask` and `approved` attributes are ignored (RFC 6121 §2.1.2.1, §2.1.2.2), and so
 * is any `subscription` value other than `remove` (§2.1.2.5).
 */
export function parseRosterSetItem(
  query: Element, owner: Jid, limits: RosterItemLimits = DEFAULT_ROSTER_ITEM_LIMITS,
): Result<ParsedRosterSet, StanzaError> {
  // RFC 6121 §2.3.3: exactly one <item/>.
  const items = query.getChildren('item', NS.roster);
  const [item] = items;
  if (item === undefined || items.length !== 1) return err(badRequest('a roster set carries exactly one item'));
  const jid = parseItemJid(item.attrs.jid, owner);
  if (!jid.ok) return jid;
  if (item.attrs.subscription === 'remove') return ok({ action: 'remove', jid: jid.value });
  const name = parseName(item.attrs.name, limits);
  if (!name.ok) return name;
  const groups = parseGroups(item, limits);
  if (!groups.ok) return groups;
  return ok({ action: 'update', jid: jid.value, name: name.value, groups: groups.value });
}

function parseItemJid(value: unknown, owner: Jid): Result<Jid, StanzaError> {
  if (typeof value !== 'string' || value === '') return err(badRequest('the item has no jid'));
  const parsed = parseJid(value);
  if (!parsed.ok) return err(StanzaError.modify('jid-malformed'));
  // Roster items are bare JIDs; Prosody answers a full JID with bad-request too.
  if (!parsed.value.isBare) return err(badRequest('roster items are bare JIDs'));
  // The user's own JID is not a contact: not-allowed, as Prosody answers.
  if (parsed.value.equals(owner.bare())) return err(StanzaError.cancel('not-allowed', { text: 'the roster cannot hold its owner' }));
  return ok(parsed.value);
}

function parseName(value: unknown, limits: RosterItemLimits): Result<string | undefined, StanzaError> {
  // An empty name is no name (as Prosody stores it).
  if (typeof value !== 'string' || value === '') return ok(undefined);
  // RFC 6121 §2.3.3: a name over the server's limit is not-acceptable.
  if (Buffer.byteLength(value) > limits.maxNameLength) return err(notAcceptable('the name is too long'));
  return ok(value);
}

function parseGroups(item: Element, limits: RosterItemLimits): Result<string[], StanzaError> {
  const groups: string[] = [];
  const seen = new Set<string>();
  for (const group of item.getChildren('group', NS.roster)) {
    const text = group.getText();
    // RFC 6121 §2.3.3: an empty <group/> and an over-long group name are not-acceptable,
    if (text === '') return err(notAcceptable('a group name is empty'));
    if (Buffer.byteLength(text) > limits.maxNameLength) return err(notAcceptable('a group name is too long'));
    // and the same group twice is a bad-request.
    if (seen.has(text)) return err(badRequest('a group is listed twice'));
    seen.add(text);
    groups.push(text);
  }
  return ok(groups);
}

function badRequest(text: string): StanzaError {
  return StanzaError.modify('bad-request', { text });
}

function notAcceptable(text: string): StanzaError {
  return StanzaError.modify('not-acceptable', { text });
}

/**
 * The item after a roster set (RFC 6121 §2.4.1: an item is replaced exactly as sent). The
 * subscription fields are the server's and survive; a new item starts at subscription `none`.
 */
export function applyRosterSet(existing: RosterItem | undefined, set: Extract<ParsedRosterSet, { action: 'update' }>): RosterItem {
  const item: RosterItem = { jid: set.jid.toString(), groups: [...set.groups], subscription: existing?.subscription ?? 'none' };
  if (set.name !== undefined) item.name = set.name;
  if (existing?.ask !== undefined) item.ask = existing.ask;
  if (existing?.pendingIn === true) item.pendingIn = true;
  if (existing?.approved === true) item.approved = true;
  return item;
}

/** The subscription state of an item; a contact missing from the roster is in state None. */
export function itemState(item: RosterItem | undefined, pendingIn = item?.pendingIn === true): SubscriptionState {
  if (item === undefined) return subscriptionState('none', { pendingIn });
  return subscriptionState(item.subscription, { ask: item.ask, pendingIn, approved: item.approved });
}

/** A copy of `item` carrying `state`; absent flags are left out rather than stored as false. */
export function withState(item: RosterItem, state: SubscriptionState): RosterItem {
  const next: RosterItem = { jid: item.jid, groups: [...item.groups], subscription: state.subscription };
  if (item.name !== undefined) next.name = item.name;
  if (state.ask !== undefined) next.ask = state.ask;
  if (state.pendingIn) next.pendingIn = true;
  if (state.approved) next.approved = true;
  return next;
}

export interface RosterItemElementOptions {
  /**
   * Emit `approved='true'` for a pre-approved contact. RFC 6121 §2.1.2.1 says a server SHOULD;
   * off by default, so only clients of a server that advertises pre-approval see it.
   */
  includeApproved?: boolean;
}

/** The `<item/>` of a roster result or push. `pendingIn` never reaches the wire. */
export function rosterItemElement(item: RosterItem, options: RosterItemElementOptions = {}): Element {
  const attrs: Record<string, string> = { jid: item.jid, subscription: item.subscription };
  if (item.name !== undefined) attrs.name = item.name;
  if (item.ask === 'subscribe') attrs.ask = 'subscribe';
  if (options.includeApproved === true && item.approved === true) attrs.approved = 'true';
  const el = new Element('item', attrs);
  for (const group of item.groups) el.c('group').t(group);
  return el;
}

/** The `<item subscription='remove'/>` pushed after a removal (RFC 6121 §2.5.2). */
export function removedItemElement(jid: string): Element {
  return new Element('item', { jid, subscription: 'remove' });
}

/** `<query xmlns='jabber:iq:roster' ver?>` around items, for roster results and pushes. */
export function rosterQueryElement(items: Iterable<Element>, ver?: string): Element {
  const attrs: Record<string, string> = { xmlns: NS.roster };
  if (ver !== undefined) attrs.ver = ver;
  const query = new Element('query', attrs);
  for (const item of items) query.cnode(item);
  return query;
}
