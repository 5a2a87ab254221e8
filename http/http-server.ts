/**
 * The HTTP side of the server (DESIGN.md §4): one route table per XMPP host, offered to modules
 * as `HttpRoutes`, and one Koa app per bound listener (`http_ports`, `https_ports` on their
 * interfaces). Created before modules load; listens once they have.
 */
import type { ServerConfig } from '../server/config/index.js';
import type { Logger } from '../server/log/index.js';
import { ConnectionCounter, isLoopbackHost, type TlsContextSource } from '../server/net/index.js';
import type { AppEnvironment } from './create-app.js';
import { dispatchUpgrade } from './dispatch-upgrade.js';
import { HostSelector } from './host-selector.js';
import type { HttpRoutes, RouteSpec, UpgradeSpec } from './http-types.js';
import { lazyRequestHandler, type RequestHandler } from './lazy-request-handler.js';
import { peerPolicy, type PeerPolicy } from './peer-address.js';
import { readHostHttpSettings, readHttpSettings, type HttpSettings } from './http-options.js';
import { listenHttp, type BoundHttpListener, type HttpScheme } from './listen-http.js';
import type { ReadinessCheck } from './readiness.js';
import { sendRawJsonError } from './respond.js';
import { basePathFor } from './route-path.js';
import { RouteTable } from './route-table.js';

/** A path one host serves, with its methods and the URLs it answers on. */
export interface PublishedRoute {
  readonly host: string;
  readonly methods: readonly string[];
  readonly path: string;
  readonly urls: readonly string[];
}

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

export class HttpServer {
  readonly settings: HttpSettings;
  readonly #logger: Logger;
  readonly #tls: TlsContextSource | undefined;
  readonly #readiness: ReadinessCheck;
  readonly #tables = new Map<string, RouteTable>();
  /** `http_external_url` per host, where set. */
  readonly #externalUrls = new Map<string, string>();
  readonly #selector: HostSelector;
  readonly #peers: PeerPolicy;
  /** `http_max_connections_per_ip`, one count over every listener (plain and TLS). */
  readonly #perAddress: ConnectionCounter;
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
      if (settings.externalUrl !== undefined) this.#externalUrls.set(host.name, settings.externalUrl);
      return { table, publishedName: settings.publishedName, isVirtualHost: host.kind === 'user' };
    });
    this.#selector = new HostSelector(published, this.settings.defaultHost, this.#logger);
    this.#peers = peerPolicy(this.settings.trustedProxies, this.settings.secureInterfaces);
    this.#perAddress = new ConnectionCounter(this.settings.maxConnectionsPerAddress);
  }

  /** The route API of one XMPP host (offered to its modules under `httpServiceKey`). */
  forHost(host: string): HttpRoutes {
    const table = this.#tables.get(host);
    if (table === undefined) throw new Error(`${host} is not a host of this server`);
    const plain = this.settings.plain;
    return {
      host,
      addRoute: (spec: RouteSpec) => {
        const { entry, dispose } = table.add(spec);
        this.#logger.debug({ host, methods: entry.methods, path: entry.path.published }, 'HTTP route added');
        if (this.#running) this.#logRoute({ host, methods: entry.methods, path: entry.path.published, urls: this.#urlsOf(table, entry.path.published) });
        return dispose;
      },
      upgrade: (spec: UpgradeSpec) => table.addUpgrade(spec).dispose,
      pathFor: (name, defaultBase) => basePathFor(name, table.paths, defaultBase),
      publicUrl: (path) => this.#publicUrl(table, path),
      isPlainHttpPublic: plain.ports.length > 0 && plain.interfaces.some((address) => !isLoopbackHost(address)),
      isPublic: [plain, this.settings.secure].some((l) => l.ports.length > 0 && l.interfaces.some((address) => !isLoopbackHost(address))),
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
    for (const route of this.publishedRoutes()) this.#logRoute(route);
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
          onUpgrade: (request, socket, head, secure) => dispatchUpgrade(this.#selector, this.#peers, this.#logger, request, socket, head, secure),
          perAddress: this.#perAddress,
          isTrustedProxy: (address) => this.#peers.isTrustedProxy(address),
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
      peers: this.#peers,
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

  /** Where a path answers: one URL per scheme and port (listeners on 127.0.0.1 and ::1 share them). */
  #urlsOf(table: RouteTable, path: string): string[] {
    const name = this.#selector.publishedNames().get(table);
    if (name === undefined) return [];
    return [...new Set(this.#listeners.map((l) => `${l.scheme}://${name}:${l.port}${path}`))];
  }

  /** See `HttpRoutes.publicUrl`: the proxy's base when configured, else HTTPS before HTTP. */
  #publicUrl(table: RouteTable, path: string): string | undefined {
    const external = this.#externalUrls.get(table.host);
    if (external !== undefined) return `${external}${path}`;
    const listener = this.#listeners.find((l) => l.scheme === 'https') ?? this.#listeners.find((l) => l.scheme === 'http');
    const name = this.#selector.publishedNames().get(table);
    if (listener === undefined || name === undefined) return undefined;
    const isDefaultPort = listener.port === (listener.scheme === 'https' ? 443 : 80);
    return `${listener.scheme}://${name}${isDefaultPort ? '' : `:${listener.port}`}${path}`;
  }

  /** Every published path of every host, its methods together, with the URLs it answers on. */
  publishedRoutes(): PublishedRoute[] {
    const routes: PublishedRoute[] = [];
    for (const table of this.#tables.values()) {
      const byPath = new Map<string, Set<string>>();
      for (const entry of table.routes) {
        const methods = byPath.get(entry.path.published) ?? new Set<string>();
        for (const method of entry.methods) methods.add(method);
        byPath.set(entry.path.published, methods);
      }
      for (const [path, methods] of byPath) routes.push({ host: table.host, methods: [...methods], path, urls: this.#urlsOf(table, path) });
    }
    return routes;
  }

  /** Spec §0.3: say at info level where each route answers, so a wrong Host is easy to spot (once per path). */
  #logRoute(route: PublishedRoute): void {
    const table = this.#tables.get(route.host);
    const unreachable = table === undefined || !this.#selector.publishedNames().has(table);
    const isDefault = table !== undefined && this.#selector.fallback === table;
    this.#logger.info(
      { host: route.host, methods: route.methods, path: route.path, urls: route.urls, defaultHost: isDefault },
      `HTTP route ${route.methods.join(',')} ${route.path} on ${route.host}${unreachable ? ' (unreachable: its name is taken)' : ''}`,
    );
  }

}
