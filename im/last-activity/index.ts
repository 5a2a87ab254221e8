export { lastActivityModule } from './last-activity-module.js';
export { uptimeModule } from './uptime-module.js';
