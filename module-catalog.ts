/**
 * Every module this build of Salon can load, by Prosody name. It sits beside the package entry,
 * not in it: module definitions carry the core's internals (hosts, hook buses, sessions), which
 * the package's types do not name. `salon.ts` and `cli.ts` use it; so do tests of config checks.
 */
import { httpAdminApiModule } from './admin/index.js';
import { fixtureModule } from './fixture/index.js';
import { httpFileShareModule, httpModule, webClientModules } from './http/index.js';
import { httpOpenmetricsModule } from './metrics/index.js';
import { mucMamModule, mucModerationModule, mucModule } from './muc/index.js';
import { mucPluginModules } from './muc/plugins/index.js';
import { imModules } from './im/index.js';
import { rosterModules } from './roster/index.js';
import { rosterPluginModules } from './roster/plugins/index.js';
import { coreModules, type AnyModuleDefinition } from './server/modules/index.js';
import { smacksModule } from './server/stream/index.js';
import { httpWebhooksModule } from './webhooks/index.js';

export const moduleCatalog: ReadonlyMap<string, AnyModuleDefinition> = new Map(
  [...coreModules, smacksModule, ...rosterModules, ...rosterPluginModules, ...imModules, mucModule, mucMamModule, mucModerationModule, ...mucPluginModules, httpModule, ...webClientModules, httpFileShareModule, fixtureModule, httpWebhooksModule, httpAdminApiModule, httpOpenmetricsModule].map((definition) => [definition.name, definition]),
);
