export { HookBus } from './hook-bus.js';
export type { HookHandler, HookOutcome, FireOptions } from './hook-bus.js';
export { Priority } from './priority.js';
export type { PriorityValue } from './priority.js';
export type { HookEvents, StanzaEvent, StanzaKind, AddressKind, StreamFeaturesEvent, DeliveryEvent } from './events.js';
export { isPromise } from './is-promise.js';
export { isOwnRequest } from './is-own-request.js';
