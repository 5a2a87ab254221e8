export { ServerCore } from './server-core.js';
export { coreOf, linkCore } from './core-of.js';
export { rejectedReload } from './reload-report.js';
export type { ReloadChange, ReloadChangeKind, ReloadOutcome, ReloadReport } from './reload-report.js';
