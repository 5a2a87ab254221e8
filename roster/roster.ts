/**
 * A user's whole roster: its version, its items and the subscription requests still waiting for
 * an answer. Pending requests live beside the items because a request alone never creates an
 * item (RFC 6121 §3.1.3: the server waits until the user approves before adding the contact).
 */
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { itemState, withState, type RosterItem } from './roster-item.js';
import type { SubscriptionState } from './subscription-state.js';

/**
 * An inbound subscription request the user has not answered yet: what RFC 6121 §3.1.3 has the
 * server deliver again at each login, bounded (`pending-subscription.ts`). The requester is the
 * key it is kept under.
 */
export interface PendingSubscription {
  /** The request's `<status/>` text, if it had one (at most `PENDING_STATUS_MAX_CHARS`). */
  status?: string;
  /** Its XEP-0172 nickname, if it had one (at most `PENDING_NICK_MAX_CHARS`). */
  nick?: string;
  /** When it arrived (ISO 8601), for a delay stamp (XEP-0203) on redelivery. */
  receivedAt: string;
}

export interface Roster {
  /** Increases with every change clients can see (RFC 6121 §2.6). */
  version: number;
  /** Keyed by the contact's normalised bare JID. */
  items: Map<string, RosterItem>;
  /** Keyed by the requesting contact's normalised bare JID; the source of truth for "pending in". */
  pendingIn: Map<string, PendingSubscription>;
}

/** `max_roster_size`: the default bound on contacts (items plus pending requests) per user. */
export const DEFAULT_MAX_ROSTER_SIZE = 1000;

export function emptyRoster(): Roster {
  return { version: 0, items: new Map(), pendingIn: new Map() };
}

/** A copy that can be changed without touching `roster` (items and their groups are copied). */
export function cloneRoster(roster: Roster): Roster {
  const items = new Map<string, RosterItem>();
  for (const [jid, item] of roster.items) items.set(jid, { ...item, groups: [...item.groups] });
  return { version: roster.version, items, pendingIn: new Map(roster.pendingIn) };
}

/** The subscription state of `jid` in this roster (None when it is unknown). */
export function contactState(roster: Roster, jid: string): SubscriptionState {
  return itemState(roster.items.get(jid), roster.pendingIn.has(jid));
}

/**
 * Records `state` for `jid`, mutating `roster`. The item is updated, or created once the state
 * shows on the wire; a contact that only asked gets no item (RFC 6121 §3.1.3). A newly pending
 * request needs its stanza in `request`. The version is left to the caller.
 */
export function setContactState(roster: Roster, jid: string, state: SubscriptionState, request?: PendingSubscription): void {
  if (!state.pendingIn) {
    roster.pendingIn.delete(jid);
  } else if (request !== undefined) {
    roster.pendingIn.set(jid, request);
  } else if (!roster.pendingIn.has(jid)) {
    throw new TypeError(`a pending subscription from ${jid} needs its request stanza`);
  }
  const existing = roster.items.get(jid);
  if (existing !== undefined) {
    roster.items.set(jid, withState(existing, state));
    return;
  }
  const visible = state.subscription !== 'none' || state.ask !== undefined || state.approved;
  if (visible) roster.items.set(jid, withState({ jid, groups: [], subscription: 'none' }, state));
}

/** How many contacts the roster holds: items and requests, each JID counted once. */
export function rosterEntryCount(roster: Roster): number {
  let count = roster.items.size;
  for (const jid of roster.pendingIn.keys()) if (!roster.items.has(jid)) count += 1;
  return count;
}

/**
 * Whether `jid` may be added (as an item or a pending request) under `max_roster_size`. A JID
 * already present always may: updating an item never grows the roster.
 */
export function checkRosterCapacity(roster: Roster, jid: string, maxSize = DEFAULT_MAX_ROSTER_SIZE): Result<void, StanzaError> {
  if (roster.items.has(jid) || roster.pendingIn.has(jid)) return ok(undefined);
  if (rosterEntryCount(roster) < maxSize) return ok(undefined);
  // A configured bound is local policy (RFC 6120 §8.3.3.12); removing contacts makes room.
  return err(StanzaError.modify('policy-violation', { text: `the roster is limited to ${maxSize} contacts` }));
}
