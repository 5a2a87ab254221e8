/**
 * Applies a new, validated config to a running server (`salon reload`, SIGHUP): what can change
 * live does (modules, their options, administrators, the negotiation policy, certificates);
 * what was built once at start-up (listeners, storage, limits, hosts) is reported as needing a
 * restart. Restart-only options are compared with the config the server started with, so a
 * change stays reported until the restart; live ones with the last config applied.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  changedCoreOptions, diffHostLists, LIVE_CORE_OPTIONS, lookupOption, type ServerConfig,
} from '../config/index.js';
import type { Host } from '../host/index.js';
import type { CertificateReloader } from '../tls/index.js';
import type { ModuleLoader } from './module-loader.js';
import { reloadHostModules, type StartupOptions } from './module-reload.js';
import type { ReloadChange } from './reload-report.js';

/** What a reload reads and changes in the server core. */
export interface ReloadParts {
  /** The config the server started with (listeners, storage and hosts were built from it). */
  readonly started: ServerConfig;
  /** The config last applied (the start config, or the last valid reload). */
  readonly current: ServerConfig;
  readonly loader: ModuleLoader;
  host(name: string): Host | undefined;
  readonly startupOptions: StartupOptions;
  /** Re-reads certificates; undefined when they do not come from the config (no TLS, a test certificate). */
  readonly certificates: CertificateReloader | undefined;
  /** Takes on the live core options (administrators, per-host policy) of `config`. */
  applyCoreOptions(config: ServerConfig): void;
}

/** Live core options reported by other changes: module loads and certificates. */
const SHOWN_ELSEWHERE = new Set(['modules_enabled', 'modules_disabled', 'certificates', 'ssl']);
const TLS_OPTIONS = new Set(['certificates', 'ssl']);

export async function reloadServer(parts: ReloadParts, next: ServerConfig): Promise<ReloadChange[]> {
  const changes: ReloadChange[] = [];
  const hosts = diffHostLists(parts.started, next);
  for (const name of hosts.added) changes.push({ host: undefined, kind: 'host-added', name, details: [], outcome: 'needs-restart', reason: 'hosts are created at start-up' });
  for (const name of hosts.removed) changes.push({ host: undefined, kind: 'host-removed', name, details: [], outcome: 'needs-restart', reason: 'hosts are created at start-up' });
  const running = next.hosts.filter((h) => !hosts.added.includes(h.name)).map((h) => parts.host(h.name)).filter((h) => h !== undefined);
  const tlsOptions = coreOptionChanges(parts, next, running.map((h) => h.name), changes);
  changes.push(...startupOptionChanges(parts, next, running.map((h) => h.name)));
  parts.applyCoreOptions(next);
  changes.push(...await reloadCertificates(parts, next, tlsOptions));
  for (const host of running) changes.push(...await reloadHostModules(parts.loader, next, host, parts.startupOptions));
  return changes;
}

/** Records core option changes (global, then per host); returns the TLS options that changed. */
function coreOptionChanges(parts: ReloadParts, next: ServerConfig, hosts: readonly string[], changes: ReloadChange[]): Set<string> {
  const tls = new Set<string>();
  const seen = new Set<string>();
  for (const host of [undefined, ...hosts]) {
    const restart = changedCoreOptions(parts.started, next, host).filter((name) => !LIVE_CORE_OPTIONS.has(name));
    const live = changedCoreOptions(parts.current, next, host).filter((name) => LIVE_CORE_OPTIONS.has(name));
    for (const name of live) if (TLS_OPTIONS.has(name)) tls.add(name);
    // A global change shows on every host too: reported once, globally.
    for (const name of restart.filter((n) => !seen.has(n))) {
      changes.push({ host, kind: 'option', name, details: [], outcome: 'needs-restart', reason: 'used to build the server at start-up' });
    }
    for (const name of live.filter((n) => !seen.has(n) && !SHOWN_ELSEWHERE.has(n))) {
      changes.push({ host, kind: 'option', name, details: [], outcome: 'applied' });
    }
    if (host === undefined) for (const name of [...restart, ...live]) seen.add(name);
  }
  return tls;
}

/** Options read once at start-up outside any module (the HTTP listener's): compared with the start config. */
function startupOptionChanges(parts: ReloadParts, next: ServerConfig, hosts: readonly string[]): ReloadChange[] {
  const changes: ReloadChange[] = [];
  for (const name of [...parts.startupOptions].sort()) {
    const differs = (host: string | undefined): boolean => !isDeepStrictEqual(lookupOption(parts.started, host, name), lookupOption(next, host, name));
    const reason = 'read once at start-up';
    if (differs(undefined)) changes.push({ host: undefined, kind: 'option', name, details: [], outcome: 'needs-restart', reason });
    else for (const host of hosts.filter(differs)) changes.push({ host, kind: 'option', name, details: [], outcome: 'needs-restart', reason });
  }
  return changes;
}

async function reloadCertificates(parts: ReloadParts, next: ServerConfig, optionsChanged: ReadonlySet<string>): Promise<ReloadChange[]> {
  const option = (outcome: ReloadChange['outcome'], reason?: string): ReloadChange[] => [...optionsChanged].sort()
    .map((name) => ({ host: undefined, kind: 'option', name, details: [], outcome, ...(reason === undefined ? {} : { reason }) }));
  if (parts.certificates === undefined) return option('needs-restart', 'the certificates in use do not come from the config');
  const reloaded = await parts.certificates(next);
  if (!reloaded.ok) {
    const reason = `${reloaded.error}; the certificates in use stay`;
    return [...option('failed', reason), { host: undefined, kind: 'certificate', name: 'certificates', details: [], outcome: 'failed', reason }];
  }
  const replaced: ReloadChange[] = reloaded.value.map((host) => ({ host, kind: 'certificate', name: host, details: [], outcome: 'applied' }));
  return [...option('applied'), ...replaced];
}
