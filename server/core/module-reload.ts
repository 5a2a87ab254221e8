/**
 * A reload's changes to one host's modules: modules no longer selected are unloaded, modules
 * newly selected are loaded, and a module whose options changed is reconfigured in place (its
 * `reconfigure`), or unloaded and loaded again, or, when it is `stateful` and cannot reconfigure,
 * left as it is until a restart (module-definition.ts).
 */
import { changedOptionNames, moduleOptionsFor, modulesForHost, type ServerConfig } from '../config/index.js';
import type { Host } from '../host/index.js';
import type { AnyModuleDefinition, LoadedModule } from '../modules/index.js';
import type { ModuleLoader } from './module-loader.js';
import type { ReloadChange } from './reload-report.js';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Options read once by the composition root rather than by a module (the HTTP listener's, the
 * fixture section): declared by a module, but a change to them needs a restart whether or not
 * the module is loaded (config-reload.ts reports them; modules ignore them).
 */
export type StartupOptions = ReadonlySet<string>;

interface HostReload {
  readonly loader: ModuleLoader;
  readonly config: ServerConfig;
  readonly host: Host;
  readonly startupOptions: StartupOptions;
  readonly changes: ReloadChange[];
}

/** Applies `config`'s module selection and options to `host`; returns what changed. */
export async function reloadHostModules(
  loader: ModuleLoader, config: ServerConfig, host: Host, startupOptions: StartupOptions,
): Promise<ReloadChange[]> {
  const settings = config.hosts.find((h) => h.name === host.name)!;
  const selection = modulesForHost(config, loader.catalog, settings);
  for (const problem of selection.problems) host.logger.warn(problem);
  const wanted = new Set(selection.modules);
  const reload: HostReload = { loader, config, host, startupOptions, changes: [] };
  const running = loader.modulesOn(host.name);
  for (const loaded of [...running].reverse()) {
    if (!wanted.has(loaded.name)) await unloadModule(reload, loaded);
  }
  for (const loaded of running) {
    if (wanted.has(loaded.name)) await applyOptions(reload, loaded, loader.catalog.get(loaded.name)!);
  }
  const names = new Set(running.map((m) => m.name));
  for (const name of selection.modules) {
    if (!names.has(name)) await loadModule(reload, loader.catalog.get(name)!, 'module-loaded', []);
  }
  return reload.changes;
}

function record(reload: HostReload, change: Omit<ReloadChange, 'host'>): void {
  reload.changes.push({ host: reload.host.name, ...change });
}

async function unloadModule(reload: HostReload, loaded: LoadedModule): Promise<void> {
  await reload.loader.unload(loaded);
  record(reload, { kind: 'module-unloaded', name: loaded.name, details: [], outcome: 'applied' });
}

async function loadModule(reload: HostReload, definition: AnyModuleDefinition, kind: 'module-loaded' | 'module-reloaded', details: readonly string[]): Promise<void> {
  try {
    await reload.loader.load(reload.config, reload.host, definition);
    record(reload, { kind, name: definition.name, details, outcome: 'applied' });
  } catch (error) {
    reload.host.logger.error({ err: error, module: definition.name }, 'module failed to load on reload');
    record(reload, { kind, name: definition.name, details, outcome: 'failed', reason: reason(error) });
  }
}

/** Compares the module's new options with those it runs with and applies the difference. */
async function applyOptions(reload: HostReload, loaded: LoadedModule, definition: AnyModuleDefinition): Promise<void> {
  const options = moduleOptionsFor(reload.config, definition, reload.host.name);
  if (!options.ok) throw new Error(options.error); // validated with the config: a bug in a schema
  const live = changedOptionNames(loaded.options, options.value).filter((name) => !reload.startupOptions.has(name));
  const pending = reload.loader.pendingRestart(loaded);
  if (live.length > 0) await applyLiveOptions(reload, loaded, definition, options.value, live);
  const waiting = [...pending].filter((name) => !live.includes(name)).sort();
  if (waiting.length > 0) {
    record(reload, { kind: 'module-reconfigured', name: loaded.name, details: waiting, outcome: 'needs-restart', reason: 'the module cannot apply it in place' });
  }
}

async function applyLiveOptions(
  reload: HostReload, loaded: LoadedModule, definition: AnyModuleDefinition, options: Record<string, unknown>, changed: readonly string[],
): Promise<void> {
  if (definition.reconfigure !== undefined) {
    let stillNeeded: readonly string[];
    try {
      stillNeeded = await definition.reconfigure(loaded, options);
    } catch (error) {
      reload.host.logger.error({ err: error, module: loaded.name }, 'module failed to reconfigure');
      record(reload, { kind: 'module-reconfigured', name: loaded.name, details: changed, outcome: 'failed', reason: reason(error) });
      return;
    }
    loaded.replaceOptions(options);
    const pending = reload.loader.pendingRestart(loaded);
    for (const name of stillNeeded) pending.add(name);
    const applied = changed.filter((name) => !stillNeeded.includes(name));
    if (applied.length > 0) record(reload, { kind: 'module-reconfigured', name: loaded.name, details: applied, outcome: 'applied' });
    const waiting = changed.filter((name) => stillNeeded.includes(name));
    if (waiting.length > 0) record(reload, { kind: 'module-reconfigured', name: loaded.name, details: waiting, outcome: 'needs-restart', reason: 'the module cannot apply it in place' });
    return;
  }
  if (definition.stateful === true) {
    // Unloading would lose what the module holds (rooms, sessions): the change waits.
    record(reload, { kind: 'module-reconfigured', name: loaded.name, details: changed, outcome: 'needs-restart', reason: 'stateful module without reconfigure' });
    return;
  }
  await reload.loader.unload(loaded);
  await loadModule(reload, definition, 'module-reloaded', changed);
}
