/**
 * The running server: hosts, sessions, router, modules and client listeners, assembled from a
 * validated config. It knows nothing of MUC, rosters or HTTP: those arrive as modules in the
 * catalog the composition root passes in.
 */
import { openAccountStore, type AccountStore } from '../accounts/index.js';
import { endSessionsOfRemovedAccounts } from './removed-accounts.js';
import { coreOptions, type ServerConfig } from '../config/index.js';
import { StreamError } from '../errors/index.js';
import { Host } from '../host/index.js';
import type { Logger } from '../log/index.js';
import { ServiceRegistry, type AnyModuleDefinition } from '../modules/index.js';
import { ConnectionCounter, listenC2s, type BoundListener, type TlsContextSource } from '../net/index.js';
import { Router } from '../router/index.js';
import { DECOY_STORE, DecoyProfile } from '../sasl/index.js';
import { SessionRegistry } from '../session/index.js';
import type { StorageDriver } from '../storage/index.js';
import {
  AuthLimiter, clientStreamsKey, RegistrationThrottle, type C2sEnvironment, type C2sPolicy, type XmppStream,
} from '../stream/index.js';
import { c2sLimits, c2sPolicyFor } from './c2s-policies.js';
import { ModuleLoader } from './module-loader.js';

export interface ServerCoreOptions {
  config: ServerConfig;
  catalog: ReadonlyMap<string, AnyModuleDefinition>;
  logger: Logger;
  storage: StorageDriver;
  tls: TlsContextSource | undefined;
}

export class ServerCore {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly storage: StorageDriver;
  readonly sessions = new SessionRegistry();
  readonly services = new ServiceRegistry();
  readonly router: Router;
  readonly #hosts = new Map<string, Host>();
  readonly #accounts = new Map<string, AccountStore>();
  readonly #policies = new Map<string, C2sPolicy>();
  readonly #decoys = new Map<string, DecoyProfile>();
  readonly #streams = new Set<XmppStream>();
  readonly #listeners: BoundListener[] = [];
  /** Stops watching each host's accounts for removals (`removed-accounts.ts`). */
  readonly #accountWatches: Array<() => void> = [];
  /** Client connections per address and in total, shared by every client transport. */
  readonly #connections: ConnectionCounter;
  #stopping = false;
  readonly #modules: ModuleLoader;
  readonly #tls: TlsContextSource | undefined;
  readonly env: C2sEnvironment;
  #nextId = 0;
  readonly #idPrefix = Math.random().toString(36).slice(2, 8);

  constructor(options: ServerCoreOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.storage = options.storage;
    this.#tls = options.tls;
    const core = coreOptions(options.config);
    for (const settings of options.config.hosts) {
      this.#hosts.set(settings.name, new Host(settings, options.config.globals, options.logger));
      if (settings.kind === 'user') {
        const accounts = openAccountStore(options.storage, settings.name, { iterations: core.sasl_iterations });
        this.#accounts.set(settings.name, accounts);
        const secrets = options.storage.open<string>(settings.name, DECOY_STORE);
        this.#decoys.set(settings.name, new DecoyProfile({ accounts, secrets }));
        this.#policies.set(settings.name, c2sPolicyFor(options.config, settings.name));
      }
    }
    this.router = new Router(
      { host: (d) => this.#hosts.get(d) },
      this.sessions,
      options.logger,
    );
    this.env = this.#environment();
    this.#connections = new ConnectionCounter(core.c2s_max_connections_per_ip, core.c2s_max_connections);
    this.#offerClientStreams();
    this.#modules = new ModuleLoader(options.catalog, {
      logger: options.logger,
      sessions: this.sessions,
      router: this.router,
      storage: options.storage,
      services: this.services,
      admins: new Set(core.admins),
      host: (name) => this.#hosts.get(name),
      hosts: () => [...this.#hosts.values()],
      accounts: (host) => this.#accounts.get(host),
    });
  }

  host(name: string): Host | undefined {
    return this.#hosts.get(name);
  }

  get hosts(): readonly Host[] {
    return [...this.#hosts.values()];
  }

  accounts(host: string): AccountStore | undefined {
    return this.#accounts.get(host);
  }

  get listeners(): readonly BoundListener[] {
    return this.#listeners;
  }

  modulesOn(host: string): string[] {
    return this.#modules.loadedOn(host);
  }

  /**
   * Loads every host's modules, then opens the client listeners. `beforeListen` runs in between
   * (modules and their services ready, nobody connected yet); if it fails the server stops.
   */
  async start(beforeListen?: () => Promise<void>): Promise<void> {
    await this.#modules.loadAll(this.config, this.hosts);
    for (const [host, accounts] of this.#accounts) {
      this.#accountWatches.push(endSessionsOfRemovedAccounts(host, accounts, this.sessions, this.logger));
    }
    if (beforeListen !== undefined) {
      try {
        await beforeListen();
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    const core = coreOptions(this.config);
    const counter = this.#connections;
    const listenerOptions = {
      env: this.env,
      tls: this.#tls,
      logger: this.logger,
      onStream: (stream: XmppStream) => this.adoptStream(stream),
    };
    try {
      for (const iface of core.c2s_interfaces) {
        for (const port of core.c2s_ports) this.#listeners.push(await listenC2s('c2s', iface, port, listenerOptions, counter));
        if (this.#tls === undefined) continue;
        for (const port of core.c2s_direct_tls_ports) {
          this.#listeners.push(await listenC2s('c2s-direct-tls', iface, port, listenerOptions, counter));
        }
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * Tracks a client stream another transport (WebSocket, BOSH) created, so that `stop` ends it;
   * a stream adopted while the server stops is ended at once.
   */
  adoptStream(stream: XmppStream): void {
    if (stream.closed) return;
    if (this.#stopping) {
      stream.close(new StreamError('system-shutdown'));
      return;
    }
    this.#streams.add(stream);
  }

  /** Closes listeners, ends every stream with `system-shutdown`, unloads modules, flushes storage. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const stopWatching of this.#accountWatches.splice(0)) stopWatching();
    // Stop accepting first; the close promises settle once every socket is gone, which the
    // streams' own close (and its grace timer) guarantees.
    const closing = this.#listeners.splice(0).map((listener) => listener.close());
    for (const host of this.#hosts.values()) host.hooks.notify('server-stopping', { host });
    for (const stream of [...this.#streams]) stream.close(new StreamError('system-shutdown'));
    await this.#modules.unloadAll();
    await this.storage.flush();
    await Promise.all(closing);
  }

  /** Every user host offers the client-stream service to transport modules (`clientStreamsKey`). */
  #offerClientStreams(): void {
    const streams = {
      env: this.env,
      acquireSlot: (address: string) => {
        if (this.#connections.acquire(address) !== undefined) return undefined;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.#connections.release(address);
        };
      },
      adopt: (stream: XmppStream) => this.adoptStream(stream),
    };
    for (const host of this.#hosts.values()) {
      if (host.kind === 'user') this.services.provide(host.name, clientStreamsKey, streams);
    }
  }

  #environment(): C2sEnvironment {
    const core = coreOptions(this.config);
    return {
      logger: this.logger,
      limits: c2sLimits(this.config),
      sessions: this.sessions,
      router: this.router,
      authLimiter: new AuthLimiter({ max: core.limit_auth_max, periodSeconds: core.limit_auth_period }),
      registrationThrottle: new RegistrationThrottle({ max: core.registration_throttle_max, periodSeconds: core.registration_throttle_period }),
      saslIterations: core.sasl_iterations,
      userHost: (domain) => {
        const host = this.#hosts.get(domain);
        return host?.kind === 'user' ? host : undefined;
      },
      accounts: (domain) => this.#accounts.get(domain),
      decoy: (domain) => this.#decoys.get(domain),
      policy: (domain) => this.#policies.get(domain)!,
      nextId: () => `${this.#idPrefix}${(this.#nextId++).toString(36)}`,
      streamClosed: (stream) => this.#streams.delete(stream as XmppStream),
    };
  }
}
