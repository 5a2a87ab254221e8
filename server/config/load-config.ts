/**
 * Finds, loads and validates the config file (DESIGN.md §2). Search order: `--config`,
 * `SALON_CONFIG`, `./salon.config.ts`, `./salon.config.js`, then the embedded default.
 * Files load with jiti (DESIGN.md §8), with `salon` aliased to `define.ts` so a config file
 * anywhere can `import { defineConfig } from 'salon'` without loading the server.
 */
import { access } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../errors/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';
import { isJsonObject } from '../net/index.js';
import type { ConfigError } from './config-error.js';
import { embeddedDefaultConfig } from './embedded-default.js';
import { attributeToEnv, readEnvOverrides } from './env-overrides.js';
import type { ServerConfig } from './server-config.js';
import { validateConfig } from './validate-config.js';

export interface LoadConfigArgs {
  /** `--config`: a path relative to `cwd`, or absolute. */
  configPath?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  catalog: ReadonlyMap<string, AnyModuleDefinition>;
}

/** Files looked for in the working directory when no path is given. */
export const DEFAULT_CONFIG_FILES = ['salon.config.ts', 'salon.config.js'] as const;

/** How the embedded default is named in messages. */
const EMBEDDED_NAME = 'built-in default config';

/** Same extension as this module: `.ts` when run from source, `.js` once built. */
const DEFINE_PATH = fileURLToPath(new URL(`./define${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false; // any access failure means "not usable here"; the search moves on
  }
}

/** The file to load, undefined for the embedded default, or an error for a missing explicit file. */
async function findConfigFile(args: LoadConfigArgs): Promise<Result<string | undefined, ConfigError>> {
  const explicit = args.configPath ?? (args.env.SALON_CONFIG || undefined);
  if (explicit !== undefined) {
    const path = resolve(args.cwd, explicit);
    if (await exists(path)) return ok(path);
    const via = args.configPath === undefined ? ' (from SALON_CONFIG)' : '';
    return err({ file: explicit, message: `config file not found${via}` });
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(args.cwd, name);
    if (await exists(path)) return ok(path);
  }
  return ok(undefined);
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Imports a config file and returns its default export. */
export async function importConfigFile(path: string, file: string): Promise<Result<unknown, ConfigError>> {
  // Loaded here, not at the top: a server started without a config file never pays for it.
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, {
    alias: { salon: DEFINE_PATH }, moduleCache: false, fsCache: false, interopDefault: false,
  });
  let loaded: unknown;
  try {
    loaded = await jiti.import(path);
  } catch (error) {
    // One line per error: parser messages put the location on a line of its own.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
    return err({ file, message: `cannot load the config file: ${reason}` });
  }
  if (!isJsonObject(loaded) || loaded.default === undefined) {
    return err({ file, message: 'the config file has no default export: export default defineConfig({ ... })' });
  }
  return ok(loaded.default);
}

/** Loads the config (file or embedded default), applies environment overrides, validates. */
export async function loadConfig(args: LoadConfigArgs): Promise<Result<ServerConfig, ConfigError[]>> {
  const found = await findConfigFile(args);
  if (!found.ok) return err([found.error]);
  const path = found.value;
  const file = path === undefined ? undefined : displayPath(path, args.cwd);
  let input: unknown = embeddedDefaultConfig();
  if (path !== undefined && file !== undefined) {
    const imported = await importConfigFile(path, file);
    if (!imported.ok) return err([imported.error]);
    input = imported.value;
  }
  const env = readEnvOverrides(args.env);
  if (env.errors.length > 0) return err(env.errors);
  // SALON_DATA_PATH is typed in a shell: relative to the working directory, not to the config file.
  const values = typeof env.values.data_path === 'string' ? { ...env.values, data_path: resolve(args.cwd, env.values.data_path) } : env.values;
  if (isJsonObject(input)) input = { ...input, ...values };
  const validated = validateConfig(input, args.catalog, path);
  if (validated.ok) return validated;
  const named = validated.error.map((error) => ({ ...error, file: file ?? EMBEDDED_NAME }));
  return err(attributeToEnv(named, env.origins));
}
