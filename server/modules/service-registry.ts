/** APIs modules offer each other, per host (see `ServiceKey`). */
import type { ServiceKey } from './service-key.js';

export class ServiceRegistry {
  readonly #byHost = new Map<string, Map<string, unknown>>();

  provide<T>(host: string, key: ServiceKey<T>, implementation: T): () => void {
    let services = this.#byHost.get(host);
    if (services === undefined) {
      services = new Map();
      this.#byHost.set(host, services);
    }
    if (services.has(key.name)) throw new Error(`service "${key.name}" is already provided on ${host}`);
    services.set(key.name, implementation);
    return () => {
      if (services.get(key.name) === implementation) services.delete(key.name);
    };
  }

  get<T>(host: string, key: ServiceKey<T>): T | undefined {
    return this.#byHost.get(host)?.get(key.name) as T | undefined;
  }
}
