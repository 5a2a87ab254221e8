/** Configuration: the config-file builders, option schemas, loading and validation (DESIGN.md §2). */
export { defineConfig, VirtualHost, Component } from './define.js';
export type { ConfigInput, HostInput, HostOptions } from './define.js';
export {
  coreOptionShape, coreOptionsSchema, coreOptionDocs, isCoreOption, GLOBAL_ONLY_OPTIONS,
} from './core-options.js';
export type {
  CoreOptions, CoreOptionsInput, CoreOptionName, GlobalOnlyOptionName, HostCoreOptionsInput, OptionDoc,
  SslPaths, StorageSetting,
} from './core-options.js';
export { formatConfigError, formatConfigErrors } from './config-error.js';
export type { ConfigError } from './config-error.js';
export { didYouMean, editDistance } from './did-you-mean.js';
export { knownKeysObject } from './known-keys.js';
export { validateConfig } from './validate-config.js';
export { loadConfig, importConfigFile, displayPath, DEFAULT_CONFIG_FILES } from './load-config.js';
export type { LoadConfigArgs } from './load-config.js';
export { embeddedDefaultConfig } from './embedded-default.js';
export { coreOptions, coreOptionsFor, findHost, lookupOption, configDirectory, isServerConfig, resolvedDataPath } from './server-config.js';
export type { ServerConfig } from './server-config.js';
export { modulesForHost, moduleOptionsFor } from './module-selection.js';
export { moduleOptionDocs, allOptionNames } from './option-docs.js';
export type { ModuleOptionDocs } from './option-docs.js';
export type { ModuleSelection } from './module-selection.js';
