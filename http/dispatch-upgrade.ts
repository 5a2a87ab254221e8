/**
 * Protocol upgrades (RFC 7230 §6.7; WebSocket, RFC 6455 §4.1) go to the handler the selected
 * host registered for the path; anything else is refused with a JSON error on the raw socket.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../server/log/index.js';
import { displayHostName, hostNameOf } from './host-header.js';
import type { HostSelector } from './host-selector.js';
import type { PeerPolicy } from './peer-address.js';

/** Answers an upgrade request with a JSON error on the raw socket and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

/**
 * Hands an upgrade request to its handler, or refuses it. A `Host` naming no host reaches a
 * web-client upgrade (`anyHost`, WebSocket) on the web fallback (see `host-selector.ts`).
 */
export function dispatchUpgrade(
  selector: HostSelector, peers: PeerPolicy, logger: Logger,
  request: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean,
): void {
  socket.on('error', (error) => logger.debug({ err: error }, 'upgraded socket error'));
  const name = hostNameOf(request.headers.host);
  const path = pathOf(request.url);
  const table = selector.select(name);
  const target = table ?? selector.webFallback;
  const entry = target?.upgradeFor(path);
  if (table === undefined && entry?.spec.anyHost !== true) return refuseUpgrade(socket, 404, `Unknown host: ${displayHostName(name)}`);
  if (target === undefined || entry === undefined) return refuseUpgrade(socket, 404, 'Not found');
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwardedFor = request.headers['x-forwarded-for'];
  const clientAddress = peers.clientAddress(peer, Array.isArray(forwardedFor) ? forwardedFor.join(', ') : forwardedFor);
  const secureChannel = secure || peers.isSecureInterface(request.socket.localAddress);
  try {
    entry.spec.handler({ request, socket, head, host: target.host, secure, secureChannel, clientAddress });
  } catch (error) {
    logger.error({ err: error, host: target.host, path: entry.path }, 'upgrade handler failed');
    socket.destroy();
  }
}
