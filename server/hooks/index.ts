export { HookBus } from './hook-bus.js';
export type { HookHandler, HookOutcome, FireOptions } from './hook-bus.js';
export { Priority } from './priority.js';
export type { PriorityValue } from './priority.js';
export type { HookEvents, StanzaEvent, StanzaKind, AddressKind, StreamFeaturesEvent } from './events.js';
