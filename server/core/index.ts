export { ServerCore } from './server-core.js';
export { coreOf, linkCore } from './core-of.js';
