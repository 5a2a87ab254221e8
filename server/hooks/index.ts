export { HookBus } from './hook-bus.js';
export type { HookHandler, HookOutcome } from './hook-bus.js';
export { Priority } from './priority.js';
export type { HookEvents, StanzaEvent, StanzaEventName, AddressKind, DeliveryEvent } from './events.js';
export { isPromise } from './is-promise.js';
export { isOwnRequest } from './is-own-request.js';
