/**
 * Salon's composition root and package entry: the only file (with cli.ts) that imports every
 * part of the house (the module catalog sits beside it, in module-catalog.ts). It validates the
 * config, starts the core and hands back a small public handle to it.
 */
import {
  configDirectory, coreOptions, formatConfigError, formatConfigErrors, isServerConfig, loadConfig, resolvedDataPath,
  validateConfig, type ConfigError, type ConfigInput, type ServerConfig,
} from './server/config/index.js';
import { ServerCore, linkCore, rejectedReload, type ReloadReport } from './server/core/index.js';
import { createLogger, readyLine, silentLogger, type Logger, type LogLevel } from './server/log/index.js';
import { rosterServiceKey, type RosterService } from './roster/index.js';
import { mucServiceKey, type MucService } from './muc/index.js';
import { moduleCatalog } from './module-catalog.js';
import type { ServiceKey } from './server/modules/index.js';
import { OutboundHttpClient, outboundHttpKey, type TlsContextSource } from './server/net/index.js';
import type { CertificateReloader, TlsMaterial } from './server/tls/index.js';
import { createMemoryDriver, createStorageDriver, type SqlSettings, type StorageDriver } from './server/storage/index.js';
import {
  HttpServer, httpModule, httpServiceKey, storageReadiness, validateHttpConfig, type ReadinessCheck, fileStorageRootKey,
} from './http/index.js';
import {
  configInputOf, fixtureModule, describeUsers, findUser, seedAccounts, seedPlanOf, seedServices, tlsModeOf, webEndpointUrls,
  type FixturePlugins, type FixtureSeeds, type FixtureUser, type SeedPlan, type TlsChoice, type TlsMode,
} from './fixture/index.js';

export { defineConfig, VirtualHost, Component } from './server/config/index.js';
export type { ConfigInput, HostInput, HostOptions } from './server/config/index.js';
export type { ServerConfig } from './server/config/index.js';
export type { Logger, LogLevel } from './server/log/index.js';
export type {
  CertificatePair, FixturePlugins, FixtureRoom, FixtureRosters, FixtureSeeds, FixtureUser, TlsChoice,
} from './fixture/index.js';
export type { ConfigError } from './server/config/index.js';
export type { ReloadChange, ReloadChangeKind, ReloadOutcome, ReloadReport } from './server/core/index.js';
// The roster service takes parsed JIDs; the MUC service takes strings too.
export { parseJid } from './server/jid/index.js';
export type { Jid, JidProblem } from './server/jid/index.js';
export type { Result } from './server/errors/index.js';
export type {
  AffiliationEntry, AffiliationOptions, Affiliation, AllowPm, BroadcastRole, CreateRoomOptions, CreateRoomProblem,
  DestroyRoomOptions, KickOptions, MucService, Occupant, Role, Room, RoomConfig, RoomNotFound, ServiceActor, Whois,
  AffiliationBatchProblem, AffiliationChange, DeclaredRoom, InviteOptions, PostMessageOptions, RoleOptions,
} from './muc/index.js';
export type { RosterChange, RosterService } from './roster/index.js';
// Named by the types above (a config's sections, a roster's parts, a roster change's errors).
export type { CoreOptionsInput, GlobalOnlyOptionName, HostCoreOptionsInput } from './server/config/index.js';
export type { HostKind, HostSettings } from './server/host/index.js';
export type { LogFn } from './server/log/index.js';
export type {
  StanzaError, StanzaErrorCondition, StanzaErrorOptions, StanzaErrorType,
} from './server/errors/index.js';
export type { PendingSubscription, Roster } from './roster/index.js';
export type { RosterItem } from './roster/index.js';
export type { PendingLimits } from './roster/index.js';
export type { Subscription } from './roster/index.js';

export interface StartServerOptions extends FixtureSeeds {
  /**
   * A validated config (from the loader) or an object shaped like a config file's default export.
   * Without one, the fixture config runs (DESIGN.md §6): `domain`, `mucDomain`, every listener on an
   * ephemeral port of `host`, memory storage, silent logs.
   */
  config?: ServerConfig | ConfigInput;
  logger?: Logger;
  /** Used when no logger is given; default the config's `log_level`, or `silent` for a fixture. */
  logLevel?: LogLevel;
  /**
   * Accounts created before the server answers: `{ alice: 'secret' }` (on the first VirtualHost)
   * or `{ 'alice@localhost': 'secret' }`. `rooms` and `rosters` likewise; they add to (and for the
   * same user or room, replace) the config's `fixture` section.
   */
  users?: Readonly<Record<string, string>>;
  /**
   * With a config: `auto` or `true` (default) its certificates or a self-signed one made once in the
   * data dir; `test` a certificate made once per process and kept in memory; `false` no TLS at all.
   * Without a config: `true` (default) the per-process test certificate with STARTTLS, Direct TLS
   * and HTTPS; `false` none of them, and plain clients may authenticate with PLAIN.
   * A `{ cert, key }` PEM pair: that certificate for every host, either way.
   */
  tls?: TlsChoice;
  /** Overrides the config's storage: `memory` keeps nothing on disk (always so for a fixture). */
  storage?: 'memory';
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
  /** Fixture only: the VirtualHost; default `localhost`. */
  domain?: string;
  /** Fixture only: the MUC service; default `conference.<domain>`; `false` for none. */
  mucDomain?: string | false;
  /** The address listeners bind with `ports: 0`; default `127.0.0.1`. */
  host?: string;
  /**
   * `0`: every listener (c2s, Direct TLS, HTTP, HTTPS) on an ephemeral port of `host`. Always so
   * for a fixture; with a config input it replaces the config's ports and interfaces.
   */
  ports?: 0;
  /** Fixture only: extra modules and options per host (`global`, `host`, `muc` or a host name). */
  plugins?: FixturePlugins;
}

export interface ListenerAddress {
  host: string;
  port: number;
}

export interface RunningServer {
  /** The first VirtualHost. */
  readonly domain: string;
  /** The first MUC service; undefined when the config has none. */
  readonly mucDomain: string | undefined;
  readonly c2s: ListenerAddress | undefined;
  readonly directTls: ListenerAddress | undefined;
  /** The PEM certificate clients see (for a test client's trust store); undefined without TLS. */
  readonly certificate: string | undefined;
  /**
   * The MUC service on `domain` (default: the first MUC service, `mucDomain`): rooms, occupants,
   * affiliations, kicks. Throws a RangeError when that host runs no MUC service.
   */
  muc(domain?: string): MucService;
  /** The roster service of a VirtualHost (default: the first); throws a RangeError when it has none. */
  rosters(host?: string): RosterService;
  /** Whether storage accepts writes, as `GET /ready` reports it (DESIGN.md §6). */
  readonly storage: StorageHandle;
  /** Base URL of the first plain HTTP listener, e.g. `http://127.0.0.1:5280`; undefined when off. */
  readonly httpUrl: string | undefined;
  /** Base URL of the first HTTPS listener; undefined when off or without TLS. */
  readonly httpsUrl: string | undefined;
  /** XMPP over WebSocket (RFC 7395) of the first VirtualHost, e.g. `ws://127.0.0.1:5280/xmpp-websocket`. */
  readonly websocketUrl: string | undefined;
  /** BOSH (XEP-0206) of the first VirtualHost, e.g. `http://127.0.0.1:5280/http-bind`. */
  readonly boshUrl: string | undefined;
  /** Every seeded account, with its password. */
  readonly users: readonly FixtureUser[];
  /** A seeded account by local part or bare JID; throws a RangeError when there is none. */
  user(name: string): FixtureUser;
  /** Bare JIDs of the seeded rooms. */
  readonly rooms: readonly string[];
  /**
   * Reads the config again and applies what can change without a restart: modules enabled or
   * disabled, module options, administrators, certificates (re-read even when the config did not
   * change: renewed files are served to new connections). Listeners, storage, hosts and limits
   * need a restart; the report says which. Without `config`, the file the server started from is
   * read again (with the same SALON_* environment overrides); an invalid config changes nothing
   * (`ok: false`, errors logged). A config input gets the same treatment as at start (`ports`, `tls`).
   */
  reload(config?: ServerConfig | ConfigInput): Promise<ReloadReport>;
  /** Closes every listener and connection, clears timers, flushes and closes storage. */
  stop(): Promise<void>;
}

/** The storage of a running server, as far as its users need to know it. */
export interface StorageHandle {
  /** Writes one small record (at most once per 5 s, however often asked) and reports the outcome. */
  ready(): Promise<StorageReadiness>;
}

/** The outcome of `StorageHandle.ready`: `reason` names what failed, as `GET /ready` does. */
export type StorageReadiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Thrown by `startServer` for an invalid config; `errors` name each option. */
export class ConfigValidationError extends Error {
  readonly errors: readonly ConfigError[];
  constructor(errors: readonly ConfigError[]) {
    super(formatConfigErrors(errors));
    this.name = 'ConfigValidationError';
    this.errors = errors;
  }
}

/**
 * Starts a server; resolves once accounts, rooms and rosters are seeded and every listener
 * accepts connections. Several servers may run side by side in one process.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const hasConfig = options.config !== undefined;
  const tlsMode = tlsModeOf(options.tls, hasConfig);
  const config = resolveConfig(configInputOf(options, tlsMode));
  const httpErrors = validateHttpConfig(config);
  if (httpErrors.length > 0) throw new ConfigValidationError(httpErrors);
  const plan = seedPlanOf(config, options);
  if (!plan.ok) throw new ConfigValidationError(plan.error);
  const core = coreOptions(config);
  const logLevel = options.logLevel ?? (hasConfig ? core.log_level : 'silent');
  const logger = options.logger ?? (logLevel === 'silent' ? silentLogger() : createLogger({ level: logLevel }));
  const cwd = options.cwd ?? process.cwd();
  const storage = openStorage(hasConfig ? options.storage : 'memory', core.storage, resolvedDataPath(config, cwd), core.sql, core.archive_sync);
  const { tls, certificates } = await openTls(tlsMode, config, cwd, logger);
  const server = new ServerCore({ config, catalog: moduleCatalog, logger, storage, tls, certificates, startupOptions: STARTUP_OPTIONS });
  const web = provideHttp(server, tls);
  // Modules that keep files (uploads) need the data directory; none on disk with memory storage.
  const fileRoot = { path: (hasConfig ? options.storage : 'memory') === 'memory' || core.storage === 'memory' ? undefined : resolvedDataPath(config, cwd) };
  for (const host of server.hosts) server.services.provide(host.name, fileStorageRootKey, fileRoot);
  const stop = (): Promise<void> => Promise.all([web.http.close(), server.stop()])
    .then(() => web.outbound.close()).then(() => storage.close()).then(handlesReleased);
  // Account keys are derived (PBKDF2, on the thread pool) while the modules load; the listeners
  // open only once both are done, so the first client finds every seeded account.
  const accounts = seedAccounts(server, plan.value);
  accounts.catch(() => undefined); // awaited below; a failed start must not leave it unhandled meanwhile
  try {
    await server.start(async () => {
      await accounts;
      await seedServices(server, plan.value);
    });
    await web.http.listen();
  } catch (error) {
    await accounts.catch(() => undefined); // seeding still in flight must settle before storage closes
    await stop();
    throw error;
  }
  const reload = (input?: ServerConfig | ConfigInput): Promise<ReloadReport> => reloadServer(server, input === undefined ? undefined : configInputOf({ ...options, config: input }, tlsMode), cwd);
  const running = describeRunning(server, web, tls, plan.value, stop, reload);
  linkCore(running, server); // salon/testing and tests of internals reach the core through it
  if (logger.isLevelEnabled('info')) {
    const ready = readyLine({
      domain: running.domain, c2s: server.listeners, websocketUrl: running.websocketUrl, boshUrl: running.boshUrl, routes: web.http.publishedRoutes(),
    });
    logger.info(ready.fields, ready.message);
  }
  return running;
}

function describeRunning(
  server: ServerCore, web: WebParts, tls: TlsContextSource | undefined, plan: SeedPlan, stop: () => Promise<void>, reload: RunningServer['reload'],
): RunningServer {
  const { http, readiness } = web;
  const plain = server.listeners.find((l) => l.kind === 'c2s');
  const direct = server.listeners.find((l) => l.kind === 'c2s-direct-tls');
  const domain = server.config.hosts.find((h) => h.kind === 'user')!.name;
  const mucDomain = server.config.hosts.find((h) => h.kind === 'component' && h.componentType === 'muc')?.name;
  const users = describeUsers(plan.users);
  let stopping: Promise<void> | undefined;
  return {
    domain,
    mucDomain,
    c2s: plain && { host: plain.address, port: plain.port },
    directTls: direct && { host: direct.address, port: direct.port },
    certificate: tls?.pemFor(domain).cert,
    muc: (name) => serviceOn(server, name ?? mucDomain, mucServiceKey, 'MUC service'),
    rosters: (name) => serviceOn(server, name ?? domain, rosterServiceKey, 'roster service'),
    storage: { ready: () => readiness().then((reason) => (reason === undefined ? { ready: true } : { ready: false, reason })) },
    httpUrl: http.httpUrl,
    httpsUrl: http.httpsUrl,
    ...webEndpointUrls(server.services, domain, http.httpUrl, http.httpsUrl),
    users,
    user: (name) => findUser(users, name),
    rooms: plan.rooms.map((room) => room.jid.toString()),
    reload,
    stop: () => (stopping ??= stop()),
  };
}

/** A service a module provides on `host`; asking for one that is not there is a bug in the caller. */
function serviceOn<T>(server: ServerCore, host: string | undefined, key: ServiceKey<T>, what: string): T {
  const found = host === undefined ? undefined : server.services.get(host, key);
  if (found === undefined) throw new RangeError(`${host ?? 'this server'} runs no ${what}`);
  return found;
}

/**
 * A closed listener's handle is released in the event loop's close phase, after its `close`
 * event: two turns later `process.getActiveResourcesInfo()` no longer lists it.
 */
async function handlesReleased(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** The HTTP listener and the outbound client, offered to every host's modules before they load. */
interface WebParts {
  readonly http: HttpServer;
  readonly outbound: OutboundHttpClient;
  /** The same check `GET /ready` runs, shared so that both see one write interval. */
  readonly readiness: ReadinessCheck;
}

function provideHttp(core: ServerCore, tls: TlsContextSource | undefined): WebParts {
  const readiness = storageReadiness(core.storage, core.hosts[0]!.name);
  const http = new HttpServer({ config: core.config, logger: core.logger, tls, readiness });
  const outbound = new OutboundHttpClient(core.logger);
  for (const host of core.hosts) {
    core.services.provide(host.name, httpServiceKey, http.forHost(host.name));
    core.services.provide(host.name, outboundHttpKey, outbound);
  }
  return { http, outbound, readiness };
}

function resolveConfig(input: ServerConfig | ConfigInput): ServerConfig {
  if (isServerConfig(input)) return input;
  const result = validateConfig(input, moduleCatalog, undefined);
  if (!result.ok) throw new ConfigValidationError(result.error);
  return result.value;
}

function openStorage(override: 'memory' | undefined, setting: unknown, dataPath: string, sql: SqlSettings | undefined, archiveSync: 'ordered' | 'background'): StorageDriver {
  if (override === 'memory') return createMemoryDriver();
  const driver = createStorageDriver(setting as Parameters<typeof createStorageDriver>[0], dataPath, sql, { archiveSync });
  if (!driver.ok) throw new Error(driver.error);
  return driver.value;
}

/** Module options read once here, not by their module (the listener's, the seeds): a reload cannot apply them. */
const STARTUP_OPTIONS: ReadonlySet<string> = new Set([httpModule, fixtureModule].flatMap((m) => Object.keys(m.options ?? {})));

/**
 * A reload: the new config (given, or the start file read again) validated as at start, then
 * applied by the core. An invalid one is logged and changes nothing.
 */
async function reloadServer(server: ServerCore, input: ServerConfig | ConfigInput | undefined, cwd: string): Promise<ReloadReport> {
  let next: ServerConfig;
  try {
    next = input === undefined ? await reloadedFile(server.config, cwd) : resolveConfig(input);
    const httpErrors = validateHttpConfig(next);
    if (httpErrors.length > 0) throw new ConfigValidationError(httpErrors);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    for (const problem of error.errors) server.logger.error({ option: problem.option, host: problem.host }, `config reload refused, nothing changed: ${formatConfigError(problem)}`);
    return rejectedReload(error.errors);
  }
  return server.reload(next);
}

/** The file the server started from, loaded again as `salon start` loads it. */
async function reloadedFile(current: ServerConfig, cwd: string): Promise<ServerConfig> {
  if (current.source === undefined) throw new ConfigValidationError([{ message: 'the server was started without a config file: pass the new config to reload()' }]);
  const loaded = await loadConfig({ configPath: current.source, env: process.env, cwd, catalog: moduleCatalog });
  if (!loaded.ok) throw new ConfigValidationError(loaded.error);
  return loaded.value;
}

/** Certificates; the TLS module loads only when TLS is wanted (its certificate generator only to make one). */
async function openTls(mode: TlsMode, config: ServerConfig, cwd: string, logger: Logger): Promise<{ tls?: TlsContextSource; certificates?: CertificateReloader }> {
  if (mode === false) return {};
  const material = await loadCertificates(mode, config, cwd, logger);
  // Session tickets for resuming clients, keys rotated in memory (server/tls/ticket-keys.ts).
  material.configureTickets(coreOptions(config).tls_ticket_key_rotation);
  if (mode !== 'auto') return { tls: material }; // a test or given certificate: nothing to read again
  const { certificateReloader } = await import('./server/tls/index.js');
  return { tls: material, certificates: certificateReloader(material, cwd, logger) };
}

async function loadCertificates(mode: Exclude<TlsMode, false>, config: ServerConfig, cwd: string, logger: Logger): Promise<TlsMaterial> {
  const { createTestCertificate, loadOrCreateCertificates, TlsMaterial } = await import('./server/tls/index.js');
  const hosts = config.hosts.map((h) => h.name);
  if (typeof mode === 'object') return new TlsMaterial(new Map(hosts.map((host) => [host, { cert: mode.cert, key: mode.key }])), hosts[0]!);
  if (mode === 'test') return createTestCertificate(hosts);
  const core = coreOptions(config);
  const material = await loadOrCreateCertificates({
    hosts,
    dataPath: resolvedDataPath(config, cwd),
    configDir: configDirectory(config, cwd),
    certificates: core.certificates,
    ssl: (name) => (config.hosts.find((h) => h.name === name)?.options.ssl ?? core.ssl) as never,
    logger,
  });
  if (!material.ok) throw new Error(material.error);
  return material.value;
}
