/**
 * Plugins of the roster service, for the composition root's catalog: `http_roster_admin`,
 * `block_subscriptions`, and the two companion names its Prosody README asks for.
 */
import type { AnyModuleDefinition } from '../../server/modules/index.js';
import { blockSubscriptionsModule } from './block_subscriptions/index.js';
import { httpFilesModule, storageMemoryModule } from './companion-modules.js';
import { httpRosterAdminModule } from './http_roster_admin/index.js';

export { blockSubscriptionsModule, isBlockedPresence } from './block_subscriptions/index.js';
export { httpFilesModule, storageMemoryModule } from './companion-modules.js';
export { httpRosterAdminModule } from './http_roster_admin/index.js';

export const rosterPluginModules: readonly AnyModuleDefinition[] = [
  httpRosterAdminModule,
  blockSubscriptionsModule,
  storageMemoryModule,
  httpFilesModule,
];
