/** The modules of the roster service, for the composition root's catalog. */
import type { AnyModuleDefinition } from '../server/modules/index.js';
import { blocklistModule } from './blocklist-module.js';
import { offlineModule } from './offline-module.js';
import { presenceModule } from './presence-module.js';
import { rosterModule } from './roster-module.js';

export const rosterModules: readonly AnyModuleDefinition[] = [
  rosterModule,
  presenceModule,
  offlineModule,
  blocklistModule,
];
