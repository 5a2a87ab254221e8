/**
 * The roster service's public API: RFC 6121 rosters, subscriptions and presence, offline messages
 * (XEP-0160) and blocking (XEP-0191). The modules are at the end. A plugin replacing the
 * `roster` module (http_roster_admin) provides its own `RosterService` under `rosterServiceKey`
 * and tells clients and contacts of its changes through `createRosterChangeEffects`; a plugin
 * that only supplies rosters answers `roster-load`.
 */
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
  DEFAULT_MAX_ROSTER_SIZE, emptyRoster, cloneRoster, contactState, setContactState, rosterEntryCount, checkRosterCapacity,
} from './roster.js';
export type { Roster, PendingSubscription } from './roster.js';
export { formatRosterVersion, parseRosterVersion, nextRosterVersion, planRosterGet } from './roster-version.js';
export type { RosterGetPlan } from './roster-version.js';
export {
  RosterDataError, serialiseRoster, deserialiseRoster, createKeyValueRosterStore,
} from './roster-store.js';
export type { RosterStore, SerialisedRoster, SerialisedRosterItem, SerialisedPendingSubscription } from './roster-store.js';
export { createRosterImporter, ROSTER_STORE } from './roster-import.js';
export type { ImportContact } from './roster-import.js';

// The roster service and its hook points (roster-load, roster-pushed).
export type { RosterLoadEvent, RosterPushedEvent } from './events.js';
export { rosterServiceKey, createRosterService } from './roster-service.js';
export type { RosterService, RosterServiceOptions, RosterChange } from './roster-service.js';
// A roster changed by its owner: pushes, `roster-pushed` and the presence it implies.
export { createRosterChangeEffects } from './roster-change-effects.js';
export type { RosterChangeEffects, RosterChangeSet, RosterItemChange } from './roster-change-effects.js';

// Blocking.
export {
  parseBlockingCommand, isBlocked, blocklistElement, blockingPushElement, applyBlockingCommand, DEFAULT_MAX_BLOCKLIST_SIZE,
} from './blocklist.js';
export type { BlockingCommand, BlocklistUpdate } from './blocklist.js';
export { blocklistServiceKey, createBlocklistService } from './blocklist-service.js';
export type { BlocklistService, BlocklistChange } from './blocklist-service.js';

// Offline messages and stored stanzas.
export {
  DEFAULT_OFFLINE_MAX_BYTES, DEFAULT_OFFLINE_MAX_MESSAGES, OfflineDataError, readOfflineQueue, offlineMessageBytes,
  offlineUsage, usageAfterAppend, isStorableType, isChatStateOnly,
} from './offline-queue.js';
export type { OfflineLimits, OfflineMessage, OfflineUsage } from './offline-queue.js';
export { createOfflineStore } from './offline-store.js';
export type { OfflineStore } from './offline-store.js';
export { delayStamp, withDelay } from './delay.js';
export { parseStoredStanza } from './stored-stanza.js';

// Modules (Prosody names: roster, presence, offline, blocklist).
export { rosterModule } from './roster-module.js';
export { presenceModule } from './presence-module.js';
export { offlineModule } from './offline-module.js';
export { blocklistModule } from './blocklist-module.js';
export { rosterModules } from './modules.js';
