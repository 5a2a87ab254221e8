/** The server parts a module context is built from (provided by the server core). */
import type { AccountStore } from '../accounts/index.js';
import type { Host } from '../host/index.js';
import type { Logger } from '../log/index.js';
import type { Router } from '../router/index.js';
import type { SessionLocator } from '../session/index.js';
import type { ServerStats } from '../stats/index.js';
import type { StorageDriver } from '../storage/index.js';
import type { ServiceRegistry } from './service-registry.js';

export interface ModuleRuntime {
  readonly logger: Logger;
  readonly sessions: SessionLocator;
  readonly router: Router;
  readonly storage: StorageDriver;
  readonly services: ServiceRegistry;
  readonly stats: ServerStats;
  readonly admins: ReadonlySet<string>;
  host(name: string): Host | undefined;
  hosts(): readonly Host[];
  accounts(host: string): AccountStore | undefined;
}
