/** The roster service's public API (RFC 6121 rosters and subscriptions, XEP-0191 blocking). */
export {
  DEFINED_STATES, stateFromName, subscriptionState, stateName, hasSubscriptionTo, hasSubscriptionFrom, transition,
} from './subscription-state.js';
export type {
  Subscription, SubscriptionStanzaType, SubscriptionDirection, DefinedStateName, SubscriptionState, TransitionResult,
} from './subscription-state.js';
export {
  DEFAULT_ROSTER_ITEM_LIMITS, parseRosterSetItem, applyRosterSet, itemState, withState,
  rosterItemElement, removedItemElement, rosterQueryElement,
} from './roster-item.js';
export type { RosterItem, RosterItemLimits, ParsedRosterSet, RosterItemElementOptions } from './roster-item.js';
export {
  DEFAULT_MAX_ROSTER_SIZE, emptyRoster, contactState, setContactState, rosterEntryCount, checkRosterCapacity,
} from './roster.js';
export type { Roster, PendingSubscription } from './roster.js';
export { formatRosterVersion, parseRosterVersion, nextRosterVersion, planRosterGet } from './roster-version.js';
export type { RosterGetPlan } from './roster-version.js';
export {
  RosterDataError, serialiseRoster, deserialiseRoster, createKeyValueRosterStore,
} from './roster-store.js';
export type { RosterStore, SerialisedRoster, SerialisedRosterItem, SerialisedPendingSubscription } from './roster-store.js';
export { parseBlockingCommand, isBlocked, blocklistElement, blockingPushElement } from './blocklist.js';
export type { BlockingCommand } from './blocklist.js';
