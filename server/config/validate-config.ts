/**
 * Validation of a whole config before anything listens (DESIGN.md §2): every problem is
 * collected, so one `salon check` lists them all.
 */
import { err, ok, type Result } from '../errors/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';
import { isJsonObject } from '../net/index.js';
import type { ConfigError } from './config-error.js';
import { coreOptionShape } from './core-options.js';
import { modulesForHost, moduleOptionsFor } from './module-selection.js';
import { OptionIndex } from './option-index.js';
import { markValidated, type ServerConfig } from './server-config.js';
import { validateHosts } from './validate-hosts.js';
import { checkStorageSql } from './check-storage-sql.js';
import { placeError, validateSection } from './validate-section.js';
import { PARSE_ONCE } from './parse-once.js';

/** Global values as written, with the default of every core option left unset. */
function withCoreDefaults(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const globals: Record<string, unknown> = { ...values };
  for (const [name, schema] of Object.entries(coreOptionShape)) {
    if (globals[name] !== undefined) continue;
    const parsed = schema.safeParse(undefined, PARSE_ONCE);
    if (parsed.success && parsed.data !== undefined) globals[name] = parsed.data;
  }
  return globals;
}

/** Module-level checks, once every option is known to be valid on its own. */
function checkModules(config: ServerConfig, catalog: ReadonlyMap<string, AnyModuleDefinition>): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const host of config.hosts) {
    const place = { file: config.source, host: host.name };
    const selection = modulesForHost(config, catalog, host);
    for (const message of selection.problems) errors.push(placeError(place, { option: 'modules_enabled', message }));
    for (const name of selection.modules) {
      const definition = catalog.get(name);
      if (definition === undefined) continue;
      const options = moduleOptionsFor(config, definition, host.name);
      if (!options.ok) errors.push(placeError(place, { message: options.error }));
    }
  }
  return errors;
}

/**
 * Validates a config file's default export against the core options and the options the
 * catalog's modules declare. `source` names the file in errors (undefined: embedded default).
 */
export function validateConfig(
  input: unknown,
  catalog: ReadonlyMap<string, AnyModuleDefinition>,
  source: string | undefined,
): Result<ServerConfig, ConfigError[]> {
  const file = source;
  if (!isJsonObject(input)) {
    const message = 'the config must be an object: export default defineConfig({ ..., hosts: [...] })';
    return err([placeError({ file, host: undefined }, { message })]);
  }
  const index = new OptionIndex(catalog);
  const { hosts: hostList, ...globalSection } = input;
  const global = validateSection(globalSection, index, { file, host: undefined });
  const hosts = validateHosts(hostList, index, file);
  const errors = [...global.errors, ...hosts.errors];
  if (errors.length > 0) return err(errors);
  const config: ServerConfig = { source, globals: withCoreDefaults(global.values), hosts: hosts.hosts };
  const moduleErrors = [...checkStorageSql(config), ...checkModules(config, catalog)];
  return moduleErrors.length > 0 ? err(moduleErrors) : ok(markValidated(config));
}
