/** Loads the modules selected for each host and unloads them in reverse order. */
import { LoadedModule, type AnyModuleDefinition, type ModuleRuntime } from '../modules/index.js';
import type { Host } from '../host/index.js';
import { moduleOptionsFor, modulesForHost, type ServerConfig } from '../config/index.js';

export class ModuleLoader {
  readonly #loaded: LoadedModule[] = [];
  readonly #catalog: ReadonlyMap<string, AnyModuleDefinition>;
  readonly #runtime: ModuleRuntime;
  /** Option names of a loaded module whose change a reload could not apply (reported until a restart). */
  readonly #pendingRestart = new WeakMap<LoadedModule, Set<string>>();

  constructor(catalog: ReadonlyMap<string, AnyModuleDefinition>, runtime: ModuleRuntime) {
    this.#catalog = catalog;
    this.#runtime = runtime;
  }

  get catalog(): ReadonlyMap<string, AnyModuleDefinition> {
    return this.#catalog;
  }

  /** Names of the modules loaded on a host (for `salon check` and logs). */
  loadedOn(host: string): string[] {
    return this.modulesOn(host).map((m) => m.name);
  }

  /** The modules loaded on a host, in load order. */
  modulesOn(host: string): LoadedModule[] {
    return this.#loaded.filter((m) => m.host.name === host);
  }

  async loadAll(config: ServerConfig, hosts: readonly Host[]): Promise<void> {
    for (const host of hosts) {
      const settings = config.hosts.find((h) => h.name === host.name)!;
      const selection = modulesForHost(config, this.#catalog, settings);
      for (const problem of selection.problems) host.logger.warn(problem);
      for (const name of selection.modules) await this.load(config, host, this.#catalog.get(name)!);
      host.logger.info({ modules: this.loadedOn(host.name) }, 'host ready');
    }
  }

  /**
   * Loads one module on a host with its options from `config`. A module whose `load` throws is
   * unloaded again (whatever it registered before failing is removed) and the error rethrown.
   */
  async load(config: ServerConfig, host: Host, definition: AnyModuleDefinition): Promise<void> {
    const options = moduleOptionsFor(config, definition, host.name);
    // Validation ran before start-up (or the reload); a failure here means a bug in a module's schema.
    if (!options.ok) throw new Error(options.error);
    const loaded = new LoadedModule(definition.name, host, options.value, this.#runtime);
    this.#loaded.push(loaded);
    try {
      await definition.load(loaded);
    } catch (error) {
      await this.unload(loaded);
      throw error;
    }
  }

  /** Unloads one module: everything it registered is removed. */
  async unload(loaded: LoadedModule): Promise<void> {
    const index = this.#loaded.indexOf(loaded);
    if (index !== -1) this.#loaded.splice(index, 1);
    await loaded.unload();
  }

  /** Option names of `loaded` still waiting for a restart (a live set: a reload adds to it). */
  pendingRestart(loaded: LoadedModule): Set<string> {
    let pending = this.#pendingRestart.get(loaded);
    if (pending === undefined) {
      pending = new Set();
      this.#pendingRestart.set(loaded, pending);
    }
    return pending;
  }

  async unloadAll(): Promise<void> {
    for (const loaded of this.#loaded.splice(0).reverse()) await loaded.unload();
  }
}
