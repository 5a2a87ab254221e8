/**
 * The roster service's public API: RFC 6121 rosters, subscriptions and presence, offline messages
 * (XEP-0160) and blocking (XEP-0191). The modules are at the end. A plugin replacing the
 * `roster` module (http_roster_admin) provides its own `RosterService` under `rosterServiceKey`
 * and tells clients and contacts of its changes through `createRosterChangeEffects`; a plugin
 * that only supplies rosters answers `roster-load`.
 */
export type { Subscription } from './subscription-state.js';
export { rosterItemElement, rosterQueryElement } from './roster-item.js';
export type { RosterItem } from './roster-item.js';
export { DEFAULT_MAX_ROSTER_SIZE, emptyRoster } from './roster.js';
export type { Roster, PendingSubscription } from './roster.js';
export type { PendingLimits } from './pending-subscription.js';
export { createRosterImporter } from './roster-import.js';

// The roster service and its hook points (roster-load, roster-pushed).
export { rosterServiceKey } from './roster-service.js';
export type { RosterService, RosterChange } from './roster-service.js';
// A roster changed by its owner: pushes, `roster-pushed` and the presence it implies.
export { createRosterChangeEffects } from './roster-change-effects.js';
export type { RosterChangeEffects, RosterChangeSet } from './roster-change-effects.js';

// Modules (Prosody names: roster, presence, offline, blocklist).
export { rosterModules } from './modules.js';
