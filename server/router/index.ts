export { Router } from './router.js';
export type { MaybePromise } from './router.js';
export type { HostDirectory } from './host-directory.js';
export { availableSessions, deliverableSessions, highestPrioritySessions } from './delivery-rules.js';
export { deliverDirect, deliverAgain } from './direct-delivery.js';
export type { DirectStanza } from './direct-delivery.js';
