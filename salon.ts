/**
 * Salon's composition root and package entry: the only file (with cli.ts) that imports every
 * part of the house. It assembles the module catalog, validates the config and starts the core.
 */
import type { ConfigInput } from './server/config/define.js';
import { validateConfig } from './server/config/validate-config.js';
import { formatConfigErrors, type ConfigError } from './server/config/config-error.js';
import { coreOptions, configDirectory, isServerConfig, type ServerConfig } from './server/config/server-config.js';
import { ServerCore } from './server/core/index.js';
import { createLogger, type Logger, type LogLevel } from './server/log/index.js';
import { coreModules } from './server/modules/core/index.js';
import { rosterModules } from './roster/index.js';
import { mucModule } from './muc/index.js';
import type { AnyModuleDefinition } from './server/modules/module-definition.js';
import type { TlsContextSource } from './server/net/tls-context-source.js';
import { createStorageDriver, createMemoryDriver } from './server/storage/index.js';
import type { StorageDriver } from './server/storage/store.js';
import { loadOrCreateCertificates, createTestCertificate } from './server/tls/index.js';
import { parseJid } from './server/jid/index.js';
import { HttpServer, httpModule, httpServiceKey, storageReadiness, validateHttpConfig } from './http/index.js';
import { OutboundHttpClient, outboundHttpKey } from './server/net/outbound-http.js';

export { defineConfig, VirtualHost, Component } from './server/config/define.js';
export type { ConfigInput, HostInput, HostOptions } from './server/config/define.js';
export type { ServerConfig } from './server/config/server-config.js';
export type { Logger, LogLevel } from './server/log/index.js';

/** Every module this build of Salon can load, by Prosody name. */
export const moduleCatalog: ReadonlyMap<string, AnyModuleDefinition> = new Map(
  [...coreModules, ...rosterModules, mucModule as AnyModuleDefinition, httpModule].map((definition) => [definition.name, definition]),
);

export interface StartServerOptions {
  /** A validated config (from the loader) or an object shaped like a config file's default export. */
  config: ServerConfig | ConfigInput;
  logger?: Logger;
  /** Used when no logger is given; default `info` (or the config's `log_level`). */
  logLevel?: LogLevel;
  /** Accounts created before the server accepts connections: `{ 'alice@localhost': 'secret' }`. */
  users?: Readonly<Record<string, string>>;
  /**
   * `auto`: the config's certificates or a self-signed one made once in the data dir (default);
   * `test`: a certificate made once per process and kept in memory (fast, for test suites);
   * `false`: no TLS at all (no STARTTLS, no Direct TLS).
   */
  tls?: 'auto' | 'test' | false;
  /** Overrides the config's storage: `memory` keeps nothing on disk. */
  storage?: 'memory';
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
}

export interface ListenerAddress {
  host: string;
  port: number;
}

export interface RunningServer {
  /** The first VirtualHost. */
  readonly domain: string;
  readonly c2s: ListenerAddress | undefined;
  readonly directTls: ListenerAddress | undefined;
  /** The PEM certificate clients see (for a test client's trust store); undefined without TLS. */
  readonly certificate: string | undefined;
  readonly core: ServerCore;
  /** Base URL of the first plain HTTP listener, e.g. `http://127.0.0.1:5280`; undefined when off. */
  readonly httpUrl: string | undefined;
  /** Base URL of the first HTTPS listener; undefined when off or without TLS. */
  readonly httpsUrl: string | undefined;
  stop(): Promise<void>;
}

/** Thrown by `startServer` for an invalid config; `errors` name each option. */
export class ConfigValidationError extends Error {
  readonly errors: readonly ConfigError[];
  constructor(errors: readonly ConfigError[]) {
    super(formatConfigErrors(errors));
    this.name = 'ConfigValidationError';
    this.errors = errors;
  }
}

/** Starts a server; resolves once every listener accepts connections. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const config = resolveConfig(options.config);
  const httpErrors = validateHttpConfig(config);
  if (httpErrors.length > 0) throw new ConfigValidationError(httpErrors);
  const core = coreOptions(config);
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? core.log_level });
  const cwd = options.cwd ?? process.cwd();
  const storage = openStorage(options.storage, core.storage, core.data_path);
  const tls = await openTls(options.tls ?? 'auto', config, cwd, logger);
  const server = new ServerCore({ config, catalog: moduleCatalog, logger, storage, tls });
  const web = provideHttp(server, tls);
  await seedUsers(server, options.users ?? {});
  await server.start();
  await web.http.listen().catch(async (error: unknown) => {
    await server.stop();
    await storage.close();
    throw error;
  });
  const plain = server.listeners.find((l) => l.kind === 'c2s');
  const direct = server.listeners.find((l) => l.kind === 'c2s-direct-tls');
  const domain = config.hosts.find((h) => h.kind === 'user')!.name;
  let stopping: Promise<void> | undefined;
  return {
    domain,
    c2s: plain && { host: plain.address, port: plain.port },
    directTls: direct && { host: direct.address, port: direct.port },
    certificate: tls?.pemFor(domain).cert,
    core: server,
    httpUrl: web.http.httpUrl,
    httpsUrl: web.http.httpsUrl,
    stop: () => (stopping ??= Promise.all([web.http.close(), server.stop()])
      .then(() => web.outbound.close())
      .then(() => storage.close())),
  };
}

/** The HTTP listener and the outbound client, offered to every host's modules before they load. */
function provideHttp(core: ServerCore, tls: TlsContextSource | undefined): { http: HttpServer; outbound: OutboundHttpClient } {
  const readiness = storageReadiness(core.storage, core.hosts[0]!.name);
  const http = new HttpServer({ config: core.config, logger: core.logger, tls, readiness });
  const outbound = new OutboundHttpClient(core.logger);
  for (const host of core.hosts) {
    core.services.provide(host.name, httpServiceKey, http.forHost(host.name));
    core.services.provide(host.name, outboundHttpKey, outbound);
  }
  return { http, outbound };
}

function resolveConfig(input: ServerConfig | ConfigInput): ServerConfig {
  if (isServerConfig(input)) return input;
  const result = validateConfig(input, moduleCatalog, undefined);
  if (!result.ok) throw new ConfigValidationError(result.error);
  return result.value;
}

function openStorage(override: 'memory' | undefined, setting: unknown, dataPath: string): StorageDriver {
  if (override === 'memory') return createMemoryDriver();
  const driver = createStorageDriver(setting as Parameters<typeof createStorageDriver>[0], dataPath);
  if (!driver.ok) throw new Error(driver.error);
  return driver.value;
}

async function openTls(mode: 'auto' | 'test' | false, config: ServerConfig, cwd: string, logger: Logger): Promise<TlsContextSource | undefined> {
  if (mode === false) return undefined;
  const hosts = config.hosts.map((h) => h.name);
  if (mode === 'test') return createTestCertificate(hosts);
  const core = coreOptions(config);
  const material = await loadOrCreateCertificates({
    hosts,
    dataPath: core.data_path,
    configDir: configDirectory(config, cwd),
    certificates: core.certificates,
    ssl: (name) => (config.hosts.find((h) => h.name === name)?.options.ssl ?? core.ssl) as never,
    logger,
  });
  if (!material.ok) throw new Error(material.error);
  return material.value;
}

async function seedUsers(server: ServerCore, users: Readonly<Record<string, string>>): Promise<void> {
  for (const [address, password] of Object.entries(users)) {
    const jid = parseJid(address);
    if (!jid.ok || jid.value.local === '') throw new Error(`invalid user JID: ${address}`);
    const accounts = server.accounts(jid.value.domain);
    if (accounts === undefined) throw new Error(`${jid.value.domain} is not a VirtualHost of this server`);
    const created = await accounts.create(jid.value.local, password);
    if (!created.ok && created.error !== 'exists') throw new Error(`cannot create ${address}: ${created.error}`);
    if (!created.ok) await accounts.setPassword(jid.value.local, password);
  }
}
