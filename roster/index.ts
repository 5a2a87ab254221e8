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
export { cloneRoster } from './roster.js';
export { applyBlockingCommand, DEFAULT_MAX_BLOCKLIST_SIZE } from './blocklist.js';
export type { BlocklistUpdate } from './blocklist.js';
export type { RosterLoadEvent, RosterPushedEvent } from './events.js';
export { rosterServiceKey, createRosterService } from './roster-service.js';
export type { RosterService, RosterServiceOptions, RosterChange } from './roster-service.js';
export { pushRosterItem } from './roster-push.js';
export { blocklistServiceKey, createBlocklistService } from './blocklist-service.js';
export type { BlocklistService, BlocklistChange } from './blocklist-service.js';
export {
  DEFAULT_OFFLINE_MAX_MESSAGES, OfflineDataError, readOfflineQueue, appendOfflineMessage, isStorableType, isChatStateOnly,
} from './offline-queue.js';
export type { OfflineMessage } from './offline-queue.js';
export { delayStamp, withDelay } from './delay.js';
export { parseStoredStanza } from './stored-stanza.js';
export { presenceOfSession, typedPresence, readdressed } from './presence-stanzas.js';
export type { ServerPresenceType } from './presence-stanzas.js';
export { sendCurrentPresence, sendUnavailableFromResources, availableSessionsOf } from './account-presence.js';
export { rosterModule } from './roster-module.js';
export { presenceModule } from './presence-module.js';
export { offlineModule } from './offline-module.js';
export { blocklistModule } from './blocklist-module.js';
export { rosterModules } from './modules.js';
