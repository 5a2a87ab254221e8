/**
 * One bound HTTP or HTTPS socket. Timeouts and the connection count are bounded, malformed
 * requests get a JSON error written on the raw socket (there is no request object then), and
 * closing ends every connection, including kept-alive ones, so nothing holds the process.
 */
import {
  createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerOptions, type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../server/log/index.js';
import { followCertificateChanges, type ConnectionCounter, type TlsContextSource } from '../server/net/index.js';
import type { HttpSettings } from './http-options.js';

export type HttpScheme = 'http' | 'https';

export interface ListenEnvironment {
  readonly logger: Logger;
  readonly settings: HttpSettings;
  readonly tls: TlsContextSource | undefined;
  /** Koa's request callback for this listener. */
  readonly callback: (request: IncomingMessage, response: ServerResponse) => void;
  onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void;
  /** Connections per address over every HTTP listener (`http_max_connections_per_ip`). */
  readonly perAddress: ConnectionCounter;
  /** Peers exempt from the per-address cap: trusted proxies, which carry many clients. */
  isTrustedProxy(address: string): boolean;
}

export interface BoundHttpListener {
  readonly scheme: HttpScheme;
  readonly address: string;
  readonly port: number;
  /** Base URL, e.g. `http://127.0.0.1:5280`. */
  readonly url: string;
  /** Stops accepting, ends HTTP connections now and upgraded ones after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/** Codes of a listen failure meaning "this machine has no such address family or address". */
const UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

function createNodeServer(scheme: HttpScheme, env: ListenEnvironment): Server {
  const { settings } = env;
  const options: ServerOptions = {
    headersTimeout: settings.headersTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // How often Node enforces the two timeouts above (its default, 30 s, would stretch them).
    connectionsCheckingInterval: Math.min(1_000, settings.headersTimeoutMs),
  };
  if (scheme === 'http') return createServer(options, env.callback);
  const tls = env.tls;
  if (tls === undefined) throw new Error('HTTPS needs certificates');
  return createHttpsServer({
    ...options,
    ...tls.serverOptions(),
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: settings.headersTimeoutMs,
  }, env.callback);
}

/** Node keeps the message being answered on the socket; a second head must not follow it. */
function answerStarted(socket: Duplex): boolean {
  const message = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return message?.headersSent === true;
}

/** A JSON answer to a request Node could not parse or that took too long. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable || answerStarted(socket)) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ error: STATUS_CODES[status] ?? 'Bad request' });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Takes the peer's slot as the TCP connection opens (before TLS and before any request), or cuts
 * the connection when its address already holds `http_max_connections_per_ip`.
 */
function countConnection(socket: Socket, env: ListenEnvironment): void {
  const address = socket.remoteAddress ?? 'unknown';
  if (env.isTrustedProxy(address)) return;
  if (env.perAddress.acquire(address) !== undefined) {
    env.logger.warn({ remote: address, max: env.perAddress.maxPerAddress }, 'too many HTTP connections from one address');
    socket.destroy();
    return;
  }
  socket.once('close', () => env.perAddress.release(address));
}

function urlOf(scheme: HttpScheme, address: string): (port: number) => string {
  const unspecified = address === '::' || address === '0.0.0.0';
  const host = unspecified ? 'localhost' : isIP(address) === 6 ? `[${address}]` : address;
  return (port) => `${scheme}://${host}:${port}`;
}

function bind(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Listens; undefined when `interfaceName` is an IPv6 address this machine does not have. */
export async function listenHttp(
  scheme: HttpScheme, interfaceName: string, port: number, env: ListenEnvironment,
): Promise<BoundHttpListener | undefined> {
  const server = createNodeServer(scheme, env);
  server.maxConnections = env.settings.maxConnections;
  server.on('connection', (socket: Socket) => countConnection(socket, env));
  const upgraded = new Set<Duplex>();
  server.on('clientError', answerClientError);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    env.onUpgrade(request, socket, head, scheme === 'https');
  });
  if (scheme === 'https') server.on('tlsClientError', (error: Error) => env.logger.debug({ err: error }, 'TLS client error'));
  try {
    await bind(server, port, interfaceName === '*' ? undefined : interfaceName);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (isIP(interfaceName) !== 6 || !UNAVAILABLE.has(code)) throw error;
    env.logger.debug({ interface: interfaceName, code }, 'IPv6 address unavailable; HTTP not listening on it');
    return undefined;
  }
  server.on('error', (error) => env.logger.error({ err: error }, 'HTTP listener error'));
  const bound = server.address() as AddressInfo;
  const url = urlOf(scheme, bound.address)(bound.port);
  env.logger.info({ kind: scheme, address: bound.address, port: bound.port }, 'listening');
  // A config reload's new certificates reach clients without SNI too (SNI ones ask at each handshake).
  const stopFollowing = scheme === 'https' && env.tls !== undefined ? followCertificateChanges(server as HttpsServer, env.tls) : () => undefined;
  const close = (graceMs: number): Promise<void> => {
    stopFollowing();
    return closeServer(server, upgraded, graceMs);
  };
  return { scheme, address: bound.address, port: bound.port, url, close };
}

function closeServer(server: Server, upgraded: Set<Duplex>, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Upgraded sockets belong to their transport, which closes them cleanly while the server
    // stops; whatever is still open after the grace period is cut.
    const timer = setTimeout(() => {
      for (const socket of upgraded) socket.destroy();
    }, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeAllConnections();
  });
}
