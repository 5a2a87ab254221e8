/**
 * A cross-check of two options: a store given to the `postgres` (or Prosody's `sql`) storage
 * driver needs the `sql` option's connection settings, wherever each is written. Caught at
 * validation, so `salon check` and start-up name the missing option instead of the driver
 * failing at its first write.
 */
import type { ConfigError } from './config-error.js';
import { lookupOption, type ServerConfig } from './server-config.js';
import { placeError } from './validate-section.js';

const SQL_DRIVERS: ReadonlySet<unknown> = new Set(['postgres', 'sql']);

/** The stores a `storage` value gives to PostgreSQL (`*` for every store). */
function postgresStores(storage: unknown): string[] {
  if (typeof storage === 'string') return SQL_DRIVERS.has(storage) ? ['*'] : [];
  if (typeof storage !== 'object' || storage === null) return [];
  return Object.entries(storage).filter(([, driver]) => SQL_DRIVERS.has(driver)).map(([store]) => store);
}

/** Errors for the global section and every host whose storage uses PostgreSQL without `sql`. */
export function checkStorageSql(config: ServerConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const host of [undefined, ...config.hosts.map((h) => h.name)]) {
    const stores = postgresStores(lookupOption(config, host, 'storage'));
    if (stores.length === 0 || lookupOption(config, host, 'sql') !== undefined) continue;
    const which = stores[0] === '*' ? 'every store' : `the store${stores.length > 1 ? 's' : ''} ${stores.map((s) => `"${s}"`).join(', ')}`;
    const message = `option "sql" is required: storage gives ${which} to PostgreSQL; set sql = { driver = "PostgreSQL", database = …, username = …, password = …, host = … }`;
    errors.push(placeError({ file: config.source, host }, { option: 'sql', message }));
  }
  // A host that only inherits both options repeats the global problem; say it once.
  return errors.filter((error, i) => errors.findIndex((e) => e.message === error.message) === i);
}
