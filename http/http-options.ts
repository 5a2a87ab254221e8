/**
 * Options of the HTTP listener, with Prosody's names (mod_http, net.http.server) where Prosody
 * has one; the bounds on connections and timeouts are Salon's (DESIGN.md §5).
 */
import { isIP } from 'node:net';
import * as z from 'zod';
import { lookupOption, PARSE_ONCE, type ConfigError, type ServerConfig } from '../server/config/index.js';
import { isAddressOrPrefix } from './peer-address.js';

const port = z.number().int().min(0).max(65535);
const listenInterface = z.string().refine((value) => value === '*' || isIP(value) !== 0, {
  message: 'must be "*" (all interfaces) or an IP address',
});
/** An absolute path without query, fragment, whitespace or percent-escapes. */
const urlPath = z.string().regex(/^\/[^\s?#%]*$/, { message: 'must be a path starting with "/" (no "?", "#", "%" or spaces)' });
const addressOrPrefix = z.string().refine(isAddressOrPrefix, { message: 'must be an IP address or a CIDR prefix such as "10.0.0.0/8"' });
const LOOPBACK = ['127.0.0.1', '::1'];
const seconds = (max: number, fallback: number) => z.number().min(0.1).max(max).default(fallback);

/** Every option the HTTP listener reads; each schema carries its default. */
export const httpOptionShape = {
  http_ports: z.array(port).default(() => [5280])
    .describe('Plain HTTP ports; [] disables plain HTTP.'),
  https_ports: z.array(port).default(() => [5281])
    .describe('HTTPS ports (host certificates, SNI); [] disables HTTPS.'),
  http_interfaces: z.array(listenInterface).min(1).default(() => ['127.0.0.1', '::1'])
    .describe('Addresses plain HTTP listens on; "*" means all interfaces.'),
  https_interfaces: z.array(listenInterface).min(1).default(() => ['127.0.0.1', '::1'])
    .describe('Addresses HTTPS listens on; "*" means all interfaces.'),
  http_host: z.string().min(1).optional()
    .describe('The name (Host header) under which this host publishes its HTTP routes.'),
  http_default_host: z.string().min(1).optional()
    .describe('The host whose routes answer requests naming an unknown Host (default for web clients: the first VirtualHost).'),
  secure_interfaces: z.array(addressOrPrefix).default(() => [...LOOPBACK])
    .describe('Local addresses on which plain HTTP (ws://, BOSH over http://) counts as encrypted; default loopback, whose traffic never leaves the machine.'),
  trusted_proxies: z.array(addressOrPrefix).default(() => [...LOOPBACK])
    .describe('Reverse proxies whose X-Forwarded-For header gives the client address of WebSocket and BOSH connections (addresses or CIDR prefixes).'),
  http_external_url: z.string().url().refine((value) => /^https?:\/\//.test(value), { message: 'must be an http:// or https:// URL' }).optional()
    .describe('The base URL under which clients reach the HTTP routes when a reverse proxy sits in front (URLs handed out in stanzas, e.g. upload slots).'),
  http_paths: z.record(z.string().min(1), urlPath).default(() => ({}))
    .describe('Relocates routes: map of a module short name to a path, e.g. { muc_kick = "/kick" }.'),
  http_max_content_size: z.number().int().min(0).max(1024 * 1024 * 1024).default(10 * 1024 * 1024)
    .describe('Largest request body accepted by any route, in bytes.'),
  http_max_connections: z.number().int().min(1).max(1_000_000).default(1024)
    .describe('Simultaneous connections per HTTP listener.'),
  // Normal: a browser opens at most 6 connections to one origin (plus a WebSocket or BOSH's 2), so
  // an office of 40 browsers behind one NAT address holds fewer than 256; a trusted proxy is
  // exempt (every client behind it shares its address), the per-listener cap still applies.
  http_max_connections_per_ip: z.number().int().min(1).max(1_000_000).default(256)
    .describe('Simultaneous HTTP connections from one IP address (IPv6: one /64), over all HTTP listeners; trusted_proxies are exempt.'),
  http_headers_timeout: seconds(600, 10)
    .describe('Seconds a client has to send the request headers.'),
  http_request_timeout: seconds(3600, 60)
    .describe('Seconds a client has to send a whole request (headers and body).'),
  http_keepalive_timeout: seconds(600, 5)
    .describe('Seconds an idle keep-alive connection stays open.'),
};

/** A listener family (plain or TLS) as configured. */
export interface ListenerSettings {
  readonly ports: readonly number[];
  readonly interfaces: readonly string[];
}

/** Options read once for the whole server (listeners, limits, default host). */
export interface HttpSettings {
  readonly plain: ListenerSettings;
  readonly secure: ListenerSettings;
  readonly defaultHost: string | undefined;
  /** `secure_interfaces`, validated addresses and prefixes. */
  readonly secureInterfaces: readonly string[];
  /** `trusted_proxies`, validated addresses and prefixes. */
  readonly trustedProxies: readonly string[];
  readonly maxContentSize: number;
  readonly maxConnections: number;
  /** `http_max_connections_per_ip`, over all listeners. */
  readonly maxConnectionsPerAddress: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/** Options that may differ per XMPP host. */
export interface HostHttpSettings {
  /** The name the host's routes answer to (lower case). */
  readonly publishedName: string;
  readonly paths: Readonly<Record<string, string>>;
  /** `http_external_url`, without a trailing slash. */
  readonly externalUrl: string | undefined;
}

const globalSchema = z.object(httpOptionShape);

function parseSection(config: ServerConfig, hostName: string | undefined): z.output<typeof globalSchema> {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(httpOptionShape)) {
    const value = lookupOption(config, hostName, name);
    if (value !== undefined) raw[name] = value;
  }
  // validateConfig has checked each value against this same shape.
  return globalSchema.parse(raw, PARSE_ONCE);
}

/** The server-wide HTTP settings (global section, defaults applied). */
export function readHttpSettings(config: ServerConfig): HttpSettings {
  const options = parseSection(config, undefined);
  return {
    plain: { ports: options.http_ports, interfaces: options.http_interfaces },
    secure: { ports: options.https_ports, interfaces: options.https_interfaces },
    defaultHost: options.http_default_host?.toLowerCase(),
    secureInterfaces: options.secure_interfaces,
    trustedProxies: options.trusted_proxies,
    maxContentSize: options.http_max_content_size,
    maxConnections: options.http_max_connections,
    maxConnectionsPerAddress: options.http_max_connections_per_ip,
    // Node refuses a headers timeout longer than the whole-request timeout.
    headersTimeoutMs: Math.round(Math.min(options.http_headers_timeout, options.http_request_timeout) * 1000),
    requestTimeoutMs: Math.round(options.http_request_timeout * 1000),
    keepAliveTimeoutMs: Math.round(options.http_keepalive_timeout * 1000),
  };
}

/** One host's HTTP settings: its section over the globals (Prosody's lookup rule). */
export function readHostHttpSettings(config: ServerConfig, hostName: string): HostHttpSettings {
  const options = parseSection(config, hostName);
  return {
    publishedName: (options.http_host ?? hostName).toLowerCase(),
    paths: options.http_paths,
    externalUrl: options.http_external_url?.replace(/\/+$/, ''),
  };
}

/**
 * Checks across hosts that option schemas cannot express: `http_default_host` must name a host
 * of this server (by its XMPP name or the name it publishes under `http_host`).
 */
export function validateHttpConfig(config: ServerConfig): ConfigError[] {
  const { defaultHost } = readHttpSettings(config);
  if (defaultHost === undefined) return [];
  const names = config.hosts.flatMap((host) => [host.name, readHostHttpSettings(config, host.name).publishedName]);
  if (names.includes(defaultHost)) return [];
  const error: ConfigError = { option: 'http_default_host', message: `option "http_default_host": "${defaultHost}" is not a host of this server` };
  if (config.source !== undefined) error.file = config.source;
  return [error];
}
