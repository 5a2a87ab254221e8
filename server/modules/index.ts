export { defineModule } from './module-definition.js';
export type { AnyModuleDefinition } from './module-definition.js';
export type { ModuleContext } from './module-context.js';
export { serviceKey } from './service-key.js';
export type { ServiceKey } from './service-key.js';
export { ServiceRegistry } from './service-registry.js';
export { LoadedModule } from './loaded-module.js';
export type { ModuleRuntime } from './module-runtime.js';
// The core's own modules (disco, ping, time, version, register), for the composition root's catalog.
export { coreModules, salonVersion } from './core/index.js';
