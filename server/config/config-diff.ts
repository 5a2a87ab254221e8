/**
 * What differs between two validated configs, for a reload (`salon reload`, SIGHUP): hosts added
 * or removed, and core options changed globally or on one host. Module options are compared by
 * the module loader against what each loaded module runs with, not here.
 */
import { isDeepStrictEqual } from 'node:util';
import { coreOptionShape, type CoreOptionName } from './core-options.js';
import { coreOptions, coreOptionsFor, type ServerConfig } from './server-config.js';

/**
 * Core options a running server takes on at a reload: administrators, the per-host negotiation
 * policy (read for each new stream), module lists (the loader loads and unloads) and
 * certificates (swapped for new connections). Every other core option shapes something built
 * once at start-up (listeners, storage, limits, loggers) and needs a restart.
 */
export const LIVE_CORE_OPTIONS: ReadonlySet<CoreOptionName> = new Set<CoreOptionName>([
  'admins', 'c2s_require_encryption', 'allow_unencrypted_plain_auth', 'disable_sasl_mechanisms',
  'allow_registration', 'modules_enabled', 'modules_disabled', 'certificates', 'ssl',
]);

/** Names whose values differ between `before` and `after` (deep comparison), sorted. */
export function changedOptionNames(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !isDeepStrictEqual(before[name], after[name])).sort();
}

/** The hosts one config has and the other lacks; a host whose kind or component type changed is both. */
export interface HostListChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

function identity(host: ServerConfig['hosts'][number]): string {
  return `${host.name} ${host.kind} ${host.componentType ?? ''}`;
}

export function diffHostLists(before: ServerConfig, after: ServerConfig): HostListChange {
  const was = new Set(before.hosts.map(identity));
  const is = new Set(after.hosts.map(identity));
  return {
    added: after.hosts.filter((host) => !was.has(identity(host))).map((host) => host.name),
    removed: before.hosts.filter((host) => !is.has(identity(host))).map((host) => host.name),
  };
}

/**
 * Core options whose typed value (defaults applied) differs: the global section when `host` is
 * undefined, else as that host sees them (its section over the globals).
 */
export function changedCoreOptions(before: ServerConfig, after: ServerConfig, host?: string): CoreOptionName[] {
  const old = host === undefined ? coreOptions(before) : coreOptionsFor(before, host);
  const now = host === undefined ? coreOptions(after) : coreOptionsFor(after, host);
  return (Object.keys(coreOptionShape) as CoreOptionName[]).filter((name) => !isDeepStrictEqual(old[name], now[name]));
}
