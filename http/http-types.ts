/**
 * The HTTP contract between the listener and the modules that serve routes on it. Nothing here
 * names Koa: a handler sees a plain request value and returns a plain response value, so the
 * framework can change without touching any plugin.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { serviceKey, type ServiceKey } from '../server/modules/index.js';

/** A request before its body is read: what `RouteSpec.authorize` sees. */
export interface HttpRequestHead {
  /** Upper-case method (`GET`, `POST`, …). */
  readonly method: string;
  /** The request path as received (not decoded), without the query string. */
  readonly path: string;
  /** Query parameters; a repeated name keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case; repeated headers joined as Node joins them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /**
   * Lower-case names of headers the request carried more than once. Node keeps only the first
   * of a repeated singleton header such as `Authorization`, so a check of `headers` alone would
   * miss the second one (RFC 9110 §5.3: such a request is malformed).
   */
  readonly repeatedHeaders: ReadonlySet<string>;
  /** The TCP peer. */
  readonly remoteAddress: string;
  /** The client: the peer, or the address a trusted proxy names in `X-Forwarded-For` (`trusted_proxies`). */
  readonly clientAddress: string;
  /** The XMPP host whose route answers (after `Host` header selection). */
  readonly host: string;
  /** True when the request came over HTTPS. */
  readonly secure: boolean;
  /** True over HTTPS, or over plain HTTP received on a `secure_interfaces` address (loopback by default). */
  readonly secureChannel: boolean;
  /**
   * The scheme the client used: `https` when a trusted proxy says so (`X-Forwarded-Proto`,
   * `Forwarded: proto=`), else this request's own.
   */
  readonly publicScheme: 'http' | 'https';
  /** The authority the client used: a trusted proxy's `X-Forwarded-Host` or `Forwarded: host=`, else `Host`. */
  readonly publicHost: string | undefined;
}

/** A request as a route handler sees it. */
export interface HttpRequest extends HttpRequestHead {
  /**
   * For a prefix route (`path` ending in `/*`): the rest of the path after the prefix's `/`,
   * percent-decoded (`''` when nothing follows). Always `''` for an exact route.
   */
  readonly params: string;
  /** The raw body, already checked against the route's size limit (empty when none, and always for GET, HEAD and OPTIONS). */
  readonly body: Buffer;
  /**
   * For a `streamBody` route (not GET, HEAD or OPTIONS): the body, unread, for the handler to
   * consume with bounded memory; `body` is then empty. What the handler leaves unread is dropped
   * after its answer (or the connection closes, as for any unread body).
   */
  readonly bodyStream?: Readable;
}

/**
 * A second, lower body limit for requests that have not earned the route's full one (BOSH before
 * authentication): past `bytes`, `allowMore` sees what was read so far and says whether to go on
 * to the route's limit; if not, the request is refused with 413 without reading further.
 */
export interface BodyGate {
  readonly bytes: number;
  allowMore(prefix: Buffer): boolean;
}

/** What a route handler answers. Without `json` or `text` the body is empty. */
export interface HttpResponse {
  readonly status: number;
  /** Serialised as JSON with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** Sent as is; `Content-Type` defaults to `text/plain; charset=utf-8` unless given in `headers`. */
  readonly text?: string;
  /**
   * A body streamed as it is read (a file), for GET; give its `Content-Length` in `headers`.
   * The listener destroys it if the answer is not sent.
   */
  readonly stream?: Readable;
  readonly headers?: Readonly<Record<string, string>>;
}

export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Methods a route may serve (a GET route also answers HEAD). `OPTIONS` only for a route that
 * answers CORS pre-flights itself (BOSH); without it a pre-flight gets a JSON 405.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A route offered by a module on its host. */
export interface RouteSpec {
  /** One method, or use `methods`. */
  readonly method?: HttpMethod;
  readonly methods?: readonly HttpMethod[];
  /**
   * The path as published by default, e.g. `/muc_kick`, `/roster_admin/refresh`. A path ending
   * in `/*` is a prefix route: `/roster_admin/refresh/*` matches `/roster_admin/refresh/` and
   * everything below it, and the rest is `request.params`.
   */
  readonly path: string;
  /**
   * Prosody's short name for `http_paths` (e.g. `muc_kick`): when `http_paths[name]` is set, it
   * replaces the route's base (`basePath`, default `/<name>`), which `path` must start with.
   * Without a name the path is fixed.
   */
  readonly name?: string;
  /** The base `http_paths` relocates when it differs from `/<name>` (BOSH: `/http-bind`). */
  readonly basePath?: string;
  /**
   * Largest request body in bytes (413 above it, refused before reading it when the length is
   * announced); capped by `http_max_content_size`, which is also the default.
   */
  readonly bodyLimit?: number;
  /** The JSON body of the errors the listener itself produces on this route (default `{ error }`). */
  readonly errorBody?: (message: string, status: number) => unknown;
  /**
   * A web-client route (WebSocket, BOSH, XEP-0156 discovery): when the `Host` header names no
   * host and `http_default_host` is unset, the first VirtualHost answers it, as in Prosody.
   * Administrative routes leave it unset and answer such requests 404 (spec §0.3).
   */
  readonly anyHost?: boolean;
  /**
   * Checked before the path's rest is decoded and before any of the body is read: an answer ends
   * the request there (an unread body then closes the connection). For credentials, so that an
   * unauthorized client never gets a body buffered or parsed.
   */
  readonly authorize?: (head: HttpRequestHead) => HttpResponse | undefined;
  /** The answer when the path's rest is no valid percent-encoded UTF-8 (default a 400 of the listener). */
  readonly malformedPath?: HttpResponse;
  /** A lower limit for the first bytes of a body (see `BodyGate`). */
  readonly bodyGate?: BodyGate;
  /**
   * The handler reads the body itself from `request.bodyStream` (file uploads): the listener
   * reads nothing and neither `bodyLimit` nor `http_max_content_size` applies; the handler
   * enforces its own limit as the bytes arrive.
   */
  readonly streamBody?: boolean;
  readonly handler: HttpHandler;
}

/** A protocol upgrade (RFC 7230 §6.7) handed over with its socket, e.g. to `ws`'s `handleUpgrade`. */
export interface HttpUpgrade {
  readonly request: IncomingMessage;
  readonly socket: Duplex;
  /** Bytes the client sent after the request head. */
  readonly head: Buffer;
  /** The XMPP host selected by the `Host` header. */
  readonly host: string;
  /** Over TLS (wss://). */
  readonly secure: boolean;
  /** Over TLS, or received on a `secure_interfaces` address (loopback by default). */
  readonly secureChannel: boolean;
  /** The peer, or the address a trusted proxy names in `X-Forwarded-For` (`trusted_proxies`). */
  readonly clientAddress: string;
}

export interface UpgradeSpec {
  /** Exact path, relocatable through `name` and `basePath` like a route's. */
  readonly path: string;
  readonly name?: string;
  readonly basePath?: string;
  /** As `RouteSpec.anyHost`: answered by the first VirtualHost when the `Host` names no host. */
  readonly anyHost?: boolean;
  /** Takes ownership of the socket: it must answer (101 or an error) and eventually close it. */
  readonly handler: (upgrade: HttpUpgrade) => void;
}

/** The HTTP routes of one XMPP host. Obtain it with `ctx.service(httpServiceKey)`. */
export interface HttpRoutes {
  /** The XMPP host these routes belong to. */
  readonly host: string;
  /**
   * Adds a route on this host; returns its disposer (call it from `ctx.onUnload`). Throws on a
   * malformed path or when a method is already served on the same path of this host.
   */
  addRoute(spec: RouteSpec): () => void;
  /** Adds an upgrade handler (WebSocket) on this host; returns its disposer. */
  upgrade(spec: UpgradeSpec): () => void;
  /** The path a route of `name` is published under (`http_paths` applied). */
  pathFor(name: string, defaultBase?: string): string;
  /**
   * The absolute URL under which clients reach `path` of this host (Prosody's `module:http_url`):
   * `http_external_url` when set (a reverse proxy's address), else HTTPS on its first listener if
   * it listens, else plain HTTP, under the host's published name; undefined before any listener.
   */
  publicUrl(path: string): string | undefined;
  /**
   * True when plain HTTP listens on an interface that is not loopback: secrets sent to this
   * host's routes may then travel in clear over a network.
   */
  readonly isPlainHttpPublic: boolean;
  /** True when HTTP or HTTPS listens on an interface that is not loopback (reachable over a network). */
  readonly isPublic: boolean;
}

/** The key under which every host offers its `HttpRoutes`. */
export const httpServiceKey: ServiceKey<HttpRoutes> = serviceKey<HttpRoutes>('http');
