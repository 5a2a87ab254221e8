/** Personal Eventing Protocol (XEP-0163): the `pep` module. */
export { pepModule } from './pep-module.js';
export { pepServiceKey, type PepService, type PepNodeView, type NodeFields, type PepNodeListener } from './pep-service.js';
