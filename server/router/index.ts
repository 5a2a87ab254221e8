export { Router } from './router.js';
export { availableSessions, highestPrioritySessions } from './delivery-rules.js';
export { deliverDirect, deliverAgain } from './direct-delivery.js';
export type { DirectStanza } from './direct-delivery.js';
