/** Modules every Salon server has; the composition root adds the feature modules. */
import type { AnyModuleDefinition } from '../module-definition.js';
import { discoModule } from './disco.js';
import { pingModule } from './ping.js';
import { registerModule } from './register.js';
import { timeModule } from './time.js';
import { versionModule } from './version.js';

export const coreModules: readonly AnyModuleDefinition[] = [
  discoModule as AnyModuleDefinition,
  pingModule as AnyModuleDefinition,
  versionModule as AnyModuleDefinition,
  timeModule as AnyModuleDefinition,
  registerModule as AnyModuleDefinition,
];
export { discoInfoQuery } from './disco.js';
export { salonVersion } from './version.js';
