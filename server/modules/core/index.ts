/** Modules every Salon server has; the composition root adds the feature modules. */
import type { AnyModuleDefinition } from '../module-definition.js';
import { discoModule } from './disco.js';
import { pingModule } from './ping.js';
import { registerModule } from './register.js';
import { timeModule } from './time.js';
import { versionModule } from './version.js';

export const coreModules: readonly AnyModuleDefinition[] = [
  discoModule,
  pingModule,
  versionModule,
  timeModule,
  registerModule,
];
export { discoInfoQuery } from './disco.js';
export { salonVersion } from './version.js';
