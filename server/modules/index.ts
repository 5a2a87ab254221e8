export { defineModule } from './module-definition.js';
export type { ModuleDefinition, AnyModuleDefinition } from './module-definition.js';
export type { ModuleContext } from './module-context.js';
export { serviceKey } from './service-key.js';
export type { ServiceKey } from './service-key.js';
export { ServiceRegistry } from './service-registry.js';
export { LoadedModule } from './loaded-module.js';
export type { ModuleRuntime } from './module-runtime.js';
