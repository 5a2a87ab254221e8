/** Configuration: the config-file builders, option schemas, loading and validation (DESIGN.md §2). */
export { defineConfig, VirtualHost, Component } from './define.js';
export type { ConfigInput, HostInput, HostOptions } from './define.js';
export { coreOptionDocs } from './core-options.js';
export type {
  CoreOptionsInput, GlobalOnlyOptionName, HostCoreOptionsInput, OptionDoc, SslPaths,
} from './core-options.js';
export { formatConfigError, formatConfigErrors } from './config-error.js';
export type { ConfigError } from './config-error.js';
export { knownKeysObject } from './known-keys.js';
export { validateConfig } from './validate-config.js';
export { loadConfig, importConfigFile, displayPath } from './load-config.js';
export {
  coreOptions, coreOptionsFor, findHost, lookupOption, configDirectory, isServerConfig,
  resolvedDataPath, resolvedPidFile,
} from './server-config.js';
export { changedCoreOptions, changedOptionNames, diffHostLists, LIVE_CORE_OPTIONS } from './config-diff.js';
export type { HostListChange } from './config-diff.js';
export type { ServerConfig } from './server-config.js';
export { modulesForHost, moduleOptionsFor } from './module-selection.js';
export { moduleOptionDocs } from './option-docs.js';
export { PARSE_ONCE } from './parse-once.js';
