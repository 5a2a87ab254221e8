export { ServerCore } from './server-core.js';
export type { ServerCoreOptions } from './server-core.js';
