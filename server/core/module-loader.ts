/** Loads the modules selected for each host and unloads them in reverse order. */
import { LoadedModule, type AnyModuleDefinition, type ModuleRuntime } from '../modules/index.js';
import type { Host } from '../host/index.js';
import { moduleOptionsFor, modulesForHost, type ServerConfig } from '../config/index.js';

export class ModuleLoader {
  readonly #loaded: LoadedModule[] = [];
  readonly #catalog: ReadonlyMap<string, AnyModuleDefinition>;
  readonly #runtime: ModuleRuntime;

  constructor(catalog: ReadonlyMap<string, AnyModuleDefinition>, runtime: ModuleRuntime) {
    this.#catalog = catalog;
    this.#runtime = runtime;
  }

  /** Names of the modules loaded on a host (for `salon check` and logs). */
  loadedOn(host: string): string[] {
    return this.#loaded.filter((m) => m.host.name === host).map((m) => m.name);
  }

  async loadAll(config: ServerConfig, hosts: readonly Host[]): Promise<void> {
    for (const host of hosts) {
      const settings = config.hosts.find((h) => h.name === host.name)!;
      const selection = modulesForHost(config, this.#catalog, settings);
      for (const problem of selection.problems) host.logger.warn(problem);
      for (const name of selection.modules) await this.#load(config, host, this.#catalog.get(name)!);
      host.logger.info({ modules: this.loadedOn(host.name) }, 'host ready');
    }
  }

  async #load(config: ServerConfig, host: Host, definition: AnyModuleDefinition): Promise<void> {
    const options = moduleOptionsFor(config, definition, host.name);
    // Validation ran before start-up; a failure here means a bug in a module's schema.
    if (!options.ok) throw new Error(options.error);
    const loaded = new LoadedModule(definition.name, host, options.value, this.#runtime);
    this.#loaded.push(loaded);
    await definition.load(loaded);
  }

  async unloadAll(): Promise<void> {
    for (const loaded of this.#loaded.splice(0).reverse()) await loaded.unload();
  }
}
