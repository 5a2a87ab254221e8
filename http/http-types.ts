/**
 * The HTTP contract between the listener and the modules that serve routes on it. Nothing here
 * names Koa: a handler sees a plain request value and returns a plain response value, so the
 * framework can change without touching any plugin.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serviceKey, type ServiceKey } from '../server/modules/index.js';

/** A request as a route handler sees it. */
export interface HttpRequest {
  /** Upper-case method (`GET`, `POST`, …). */
  readonly method: string;
  /** The request path as received (not decoded), without the query string. */
  readonly path: string;
  /**
   * For a prefix route (`path` ending in `/*`): the rest of the path after the prefix's `/`,
   * percent-decoded (`''` when nothing follows). Always `''` for an exact route.
   */
  readonly params: string;
  /** Query parameters; a repeated name keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case; repeated headers joined as Node joins them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, already checked against the route's size limit (empty when none). */
  readonly body: Buffer;
  readonly remoteAddress: string;
  /** The XMPP host whose route answers (after `Host` header selection). */
  readonly host: string;
  /** True when the request came over HTTPS. */
  readonly secure: boolean;
}

/** What a route handler answers. Without `json` or `text` the body is empty. */
export interface HttpResponse {
  readonly status: number;
  /** Serialised as JSON with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** Sent as is; `Content-Type` defaults to `text/plain; charset=utf-8` unless given in `headers`. */
  readonly text?: string;
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
  readonly secure: boolean;
}

export interface UpgradeSpec {
  /** Exact path, relocatable through `name` and `basePath` like a route's. */
  readonly path: string;
  readonly name?: string;
  readonly basePath?: string;
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
  route(spec: RouteSpec): () => void;
  /** Adds an upgrade handler (WebSocket) on this host; returns its disposer. */
  upgrade(spec: UpgradeSpec): () => void;
  /** The path a route of `name` is published under (`http_paths` applied). */
  pathFor(name: string, defaultBase?: string): string;
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
