/**
 * The validated configuration and typed access to it. Options are looked up on their host,
 * then globally, then defaults (Prosody's rule; DESIGN.md §2). Core defaults are already in
 * `globals`; module defaults live in each module's schema.
 */
import { dirname, join, resolve } from 'node:path';
import type { HostSettings } from '../host/index.js';
import { coreOptionsSchema, coreOptionShape, GLOBAL_ONLY_OPTIONS, type CoreOptions } from './core-options.js';
import { PARSE_ONCE } from './parse-once.js';

export interface ServerConfig {
  /** Absolute path of the config file; undefined for the embedded default. */
  source: string | undefined;
  /** Global options as written, plus every core option's default when unset. */
  globals: Readonly<Record<string, unknown>>;
  /** Hosts in config order; names normalised, options as written and validated. */
  hosts: HostSettings[];
}

/** Configs produced by `validateConfig`, told apart from a config file's raw default export. */
const validated = new WeakSet<object>();

/** Records a config as validated (only `validateConfig` calls this). */
export function markValidated(config: ServerConfig): ServerConfig {
  validated.add(config);
  return config;
}

/**
 * Whether a value is a config returned by `validateConfig`/`loadConfig` (rather than input
 * still to validate, such as `defineConfig(...)`'s result).
 */
export function isServerConfig(value: unknown): value is ServerConfig {
  return typeof value === 'object' && value !== null && validated.has(value);
}

/** Parsed core options per config and host (`''` for the globals). */
const cache = new WeakMap<ServerConfig, Map<string, CoreOptions>>();

function cached(config: ServerConfig, key: string, parse: () => CoreOptions): CoreOptions {
  let perHost = cache.get(config);
  if (perHost === undefined) {
    perHost = new Map();
    cache.set(config, perHost);
  }
  let options = perHost.get(key);
  if (options === undefined) {
    options = parse();
    perHost.set(key, options);
  }
  return options;
}

function parseCore(section: Readonly<Record<string, unknown>>): CoreOptions {
  const core: Record<string, unknown> = {};
  for (const name of Object.keys(coreOptionShape)) {
    if (section[name] !== undefined) core[name] = section[name];
  }
  const parsed = coreOptionsSchema.safeParse(core, PARSE_ONCE);
  // validateConfig has checked these values: failing here means the config was built by hand.
  if (!parsed.success) throw new TypeError(`invalid core options: ${parsed.error.message}`);
  return parsed.data;
}

/** The typed global core options, defaults applied. */
export function coreOptions(config: ServerConfig): CoreOptions {
  return cached(config, '', () => parseCore(config.globals));
}

export function findHost(config: ServerConfig, name: string): HostSettings | undefined {
  return config.hosts.find((host) => host.name === name);
}

/** The typed core options as seen by one host: its own section over the globals. */
export function coreOptionsFor(config: ServerConfig, hostName: string): CoreOptions {
  const host = findHost(config, hostName);
  if (host === undefined) return coreOptions(config);
  return cached(config, host.name, () => {
    const merged: Record<string, unknown> = { ...config.globals };
    for (const [name, value] of Object.entries(host.options)) {
      if (!GLOBAL_ONLY_OPTIONS.has(name)) merged[name] = value;
    }
    return parseCore(merged);
  });
}

/** An option as written: on the host (when given), then globally; undefined when unset. */
export function lookupOption(config: ServerConfig, hostName: string | undefined, name: string): unknown {
  const host = hostName === undefined ? undefined : findHost(config, hostName);
  if (host !== undefined && Object.hasOwn(host.options, name)) return host.options[name];
  return config.globals[name];
}

/** The directory relative paths in the config (`certificates`, `ssl`) are resolved against. */
export function configDirectory(config: ServerConfig, cwd: string): string {
  return config.source === undefined ? cwd : dirname(config.source);
}

/**
 * `data_path` as an absolute path. Like `certificates`, a relative path is relative to the config
 * file's directory, so that `salon adduser --config F` run from anywhere writes where the server
 * started with F reads; for the embedded default (and a config given as an object) it is relative
 * to `cwd`. `SALON_DATA_PATH` is made absolute against the working directory when it is read.
 */
export function resolvedDataPath(config: ServerConfig, cwd: string): string {
  return resolve(configDirectory(config, cwd), coreOptions(config).data_path);
}

/**
 * `pidfile` as an absolute path: relative to the config file's directory like `data_path`, so
 * that `salon reload --config F` run from anywhere finds the file `salon start --config F` wrote;
 * by default `salon.pid` in the data directory.
 */
export function resolvedPidFile(config: ServerConfig, cwd: string): string {
  const pidfile = coreOptions(config).pidfile;
  return pidfile === undefined ? join(resolvedDataPath(config, cwd), 'salon.pid') : resolve(configDirectory(config, cwd), pidfile);
}
