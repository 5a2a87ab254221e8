/**
 * The HTTP side of the server (DESIGN.md §4): one route table per XMPP host, offered to modules
 * as `HttpRoutes`, and one Koa app per bound listener (`http_ports`, `https_ports` on their
 * interfaces). Created before modules load; listens once they have.
 */
import type { ServerConfig } from '../server/config/index.js';
import type { Logger } from '../server/log/index.js';
import type { TlsContextSource } from '../server/net/tls-context-source.js';
import type { AppEnvironment } from './create-app.js';
import { dispatchUpgrade } from './dispatch-upgrade.js';
import { HostSelector } from './host-selector.js';
import type { HttpRoutes, RouteSpec, UpgradeSpec } from './http-types.js';
import { lazyRequestHandler, type RequestHandler } from './lazy-request-handler.js';
import { readHostHttpSettings, readHttpSettings, type HttpSettings } from './http-options.js';
import { listenHttp, type BoundHttpListener, type HttpScheme } from './listen-http.js';
import type { ReadinessCheck } from './readiness.js';
import { sendRawJsonError } from './respond.js';
import { basePathFor } from './route-path.js';
import { RouteTable, type RouteEntry } from './route-table.js';

export interface HttpServerOptions {
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** Host certificates; without them HTTPS does not listen. */
  readonly tls: TlsContextSource | undefined;
  /** Extra readiness condition for `GET /ready` (e.g. storage writable); default always ready. */
  readonly readiness?: ReadinessCheck;
}

/** How long upgraded connections (WebSocket) get to close on their own at shutdown. */
const UPGRADE_GRACE_MS = 2_000;

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export class HttpServer {
  readonly settings: HttpSettings;
  readonly #logger: Logger;
  readonly #tls: TlsContextSource | undefined;
  readonly #readiness: ReadinessCheck;
  readonly #tables = new Map<string, RouteTable>();
  readonly #selector: HostSelector;
  readonly #listeners: BoundHttpListener[] = [];
  #running = false;

  /** Throws when `http_default_host` names no host of the config. */
  constructor(options: HttpServerOptions) {
    this.settings = readHttpSettings(options.config);
    this.#logger = options.logger.child({ component: 'http' });
    this.#tls = options.tls;
    this.#readiness = options.readiness ?? (() => Promise.resolve(undefined));
    const published = options.config.hosts.map((host) => {
      const settings = readHostHttpSettings(options.config, host.name);
      const table = new RouteTable(host.name, settings.paths);
      this.#tables.set(host.name, table);
      return { table, publishedName: settings.publishedName };
    });
    this.#selector = new HostSelector(published, this.settings.defaultHost, this.#logger);
  }

  /** The route API of one XMPP host (offered to its modules under `httpServiceKey`). */
  forHost(host: string): HttpRoutes {
    const table = this.#tables.get(host);
    if (table === undefined) throw new Error(`${host} is not a host of this server`);
    const plain = this.settings.plain;
    return {
      host,
      route: (spec: RouteSpec) => {
        const { entry, dispose } = table.add(spec);
        this.#logger.debug({ host, methods: entry.methods, path: entry.path.published }, 'HTTP route added');
        if (this.#running) this.#logRoute(table, entry);
        return dispose;
      },
      upgrade: (spec: UpgradeSpec) => table.addUpgrade(spec).dispose,
      pathFor: (name, defaultBase) => basePathFor(name, table.paths, defaultBase),
      isPlainHttpPublic: plain.ports.length > 0 && plain.interfaces.some((address) => !isLoopback(address)),
      isPublic: [plain, this.settings.secure].some((l) => l.ports.length > 0 && l.interfaces.some((address) => !isLoopback(address))),
    };
  }

  /** Bound listeners, plain first. */
  get listeners(): readonly BoundHttpListener[] {
    return this.#listeners;
  }

  /** Base URL of the first plain listener, e.g. `http://127.0.0.1:5280`. */
  get httpUrl(): string | undefined {
    return this.#listeners.find((l) => l.scheme === 'http')?.url;
  }

  get httpsUrl(): string | undefined {
    return this.#listeners.find((l) => l.scheme === 'https')?.url;
  }

  /** Opens every configured listener, then logs which host serves which route. */
  async listen(): Promise<void> {
    this.#running = true;
    try {
      await this.#listenAll('http', this.settings.plain.ports, this.settings.plain.interfaces);
      if (this.#tls === undefined && this.settings.secure.ports.length > 0) {
        this.#logger.info('no TLS certificates: HTTPS is not listening');
      } else {
        await this.#listenAll('https', this.settings.secure.ports, this.settings.secure.interfaces);
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    for (const table of this.#tables.values()) for (const entry of table.routes) this.#logRoute(table, entry);
  }

  /** Closes every listener and connection. */
  async close(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#listeners.splice(0).map((listener) => listener.close(UPGRADE_GRACE_MS)));
  }

  async #listenAll(scheme: HttpScheme, ports: readonly number[], interfaces: readonly string[]): Promise<void> {
    for (const address of interfaces) {
      for (const port of ports) {
        const listener = await listenHttp(scheme, address, port, {
          logger: this.#logger,
          settings: this.settings,
          tls: this.#tls,
          callback: this.#requestHandler(),
          onUpgrade: (request, socket, head, secure) => dispatchUpgrade(this.#selector, this.#logger, request, socket, head, secure),
        });
        if (listener !== undefined) this.#listeners.push(listener);
      }
    }
  }

  /** One Koa app per listener, loaded with its first request (see `lazy-request-handler.ts`). */
  #requestHandler(): RequestHandler {
    const env: AppEnvironment = {
      logger: this.#logger,
      selector: this.#selector,
      maxContentSize: this.settings.maxContentSize,
      readiness: this.#readiness,
      isRunning: () => this.#running,
    };
    return lazyRequestHandler(
      async () => (await import('./create-app.js')).createApp(env).callback(),
      (error, response) => {
        this.#logger.error({ err: error }, 'HTTP request handling could not be loaded');
        sendRawJsonError(response, 500, 'Internal server error');
      },
    );
  }

  /** Spec §0.3: say at info level where each route answers, so a wrong Host is easy to spot. */
  #logRoute(table: RouteTable, entry: RouteEntry): void {
    const name = this.#selector.publishedNames().get(table);
    const urls = name === undefined ? [] : this.#listeners.map((l) => `${l.scheme}://${name}:${l.port}${entry.path.published}`);
    const isDefault = this.#selector.fallback === table;
    this.#logger.info(
      { host: table.host, methods: entry.methods, path: entry.path.published, urls, defaultHost: isDefault },
      `HTTP route ${entry.methods.join(',')} ${entry.path.published} on ${table.host}${name === undefined ? ' (unreachable: its name is taken)' : ''}`,
    );
  }
}
