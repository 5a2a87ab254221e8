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
import { countLive, ServerStats, type Transport } from '../stats/index.js';
import type { StorageDriver } from '../storage/index.js';
import {
  AuthLimiter, clientStreamsKey, RegistrationThrottle, type C2sEnvironment, type C2sPolicy, type XmppStream,
} from '../stream/index.js';
import type { CertificateReloader } from '../tls/index.js';
import { c2sLimits, c2sPolicyFor } from './c2s-policies.js';
import { reloadServer } from './config-reload.js';
import { ModuleLoader } from './module-loader.js';
import { logReload, rejectedReload, reloadReport, type ReloadReport } from './reload-report.js';

export interface ServerCoreOptions {
  config: ServerConfig;
  catalog: ReadonlyMap<string, AnyModuleDefinition>;
  logger: Logger;
  storage: StorageDriver;
  tls: TlsContextSource | undefined;
  /** Re-reads the certificates on a reload; absent when they do not come from the config. */
  certificates?: CertificateReloader;
  /**
   * Module-declared options read once by the composition root (the HTTP listener's, the fixture
   * section): a reload reports their change as needing a restart.
   */
  startupOptions?: ReadonlySet<string>;
}

export class ServerCore {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly storage: StorageDriver;
  readonly sessions = new SessionRegistry();
  readonly services = new ServiceRegistry();
  /** Counters for the metrics module; the gauges are worked out from the streams below when read. */
  readonly stats = new ServerStats(() => countLive(this.#streams, this.sessions.all()));
  readonly router: Router;
  readonly #hosts = new Map<string, Host>();
  readonly #accounts = new Map<string, AccountStore>();
  readonly #policies = new Map<string, C2sPolicy>();
  readonly #decoys = new Map<string, DecoyProfile>();
  /** Open client streams and the transport each came over. */
  readonly #streams = new Map<XmppStream, Transport>();
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
  /** The config last applied: the start config, then each valid reload's. */
  #current: ServerConfig;
  /** `admins`, shared with every module context (a reload changes it in place). */
  readonly #admins: Set<string>;
  readonly #certificates: CertificateReloader | undefined;
  readonly #startupOptions: ReadonlySet<string>;
  /** The reload in progress: reloads run one at a time, and `stop` waits for it. */
  #reloading: Promise<unknown> = Promise.resolve();
  readonly #idPrefix = Math.random().toString(36).slice(2, 8);

  constructor(options: ServerCoreOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.storage = options.storage;
    this.#tls = options.tls;
    this.#current = options.config;
    this.#certificates = options.certificates;
    this.#startupOptions = options.startupOptions ?? new Set();
    const core = coreOptions(options.config);
    this.#admins = new Set(core.admins);
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
      this.stats,
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
      stats: this.stats,
      admins: this.#admins,
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
      onStream: (stream: XmppStream, transport: Transport) => this.adoptStream(stream, transport),
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
  adoptStream(stream: XmppStream, transport: Transport): void {
    if (stream.closed) return;
    if (this.#stopping) {
      stream.close(new StreamError('system-shutdown'));
      return;
    }
    this.stats.connectionsOpened[transport]++;
    this.#streams.set(stream, transport);
  }

  /**
   * Applies a new validated config (see config-reload.ts) and logs one line saying what changed,
   * what was applied and what needs a restart. Reloads run one after the other.
   */
  reload(next: ServerConfig): Promise<ReloadReport> {
    const run = this.#reloading.then(() => this.#reload(next));
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  async #reload(next: ServerConfig): Promise<ReloadReport> {
    if (this.#stopping) return rejectedReload([{ message: 'the server is stopping' }]);
    const changes = await reloadServer({
      started: this.config,
      current: this.#current,
      loader: this.#modules,
      host: (name) => this.#hosts.get(name),
      startupOptions: this.#startupOptions,
      certificates: this.#certificates,
      applyCoreOptions: (config) => this.#applyCoreOptions(config),
    }, next);
    this.#current = next;
    const report = reloadReport(changes);
    logReload(this.logger, report);
    return report;
  }

  /** Administrators and each user host's negotiation policy (read by every new stream). */
  #applyCoreOptions(config: ServerConfig): void {
    this.#admins.clear();
    for (const admin of coreOptions(config).admins) this.#admins.add(admin);
    for (const host of this.#policies.keys()) this.#policies.set(host, c2sPolicyFor(config, host));
  }

  /** Closes listeners, ends every stream with `system-shutdown`, unloads modules, flushes storage. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#reloading; // a module half loaded by a reload would outlive the unloading below
    for (const stopWatching of this.#accountWatches.splice(0)) stopWatching();
    // Stop accepting first; the close promises settle once every socket is gone, which the
    // streams' own close (and its grace timer) guarantees.
    const closing = this.#listeners.splice(0).map((listener) => listener.close());
    for (const host of this.#hosts.values()) host.hooks.notify('server-stopping', { host });
    for (const stream of [...this.#streams.keys()]) stream.close(new StreamError('system-shutdown'));
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
      adopt: (stream: XmppStream, transport: Transport) => this.adoptStream(stream, transport),
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
      stats: this.stats,
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
