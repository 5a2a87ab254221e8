/**
 * Protocol upgrades (RFC 7230 §6.7; WebSocket, RFC 6455 §4.1) go to the handler the selected
 * host registered for the path; anything else is refused with a JSON error on the raw socket.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../server/log/index.js';
import { displayHostName, hostNameOf } from './host-header.js';
import type { HostSelector } from './host-selector.js';

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

/** Hands an upgrade request to its handler, or refuses it. */
export function dispatchUpgrade(
  selector: HostSelector, logger: Logger,
  request: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean,
): void {
  socket.on('error', (error) => logger.debug({ err: error }, 'upgraded socket error'));
  const name = hostNameOf(request.headers.host);
  const table = selector.select(name);
  if (table === undefined) return refuseUpgrade(socket, 404, `Unknown host: ${displayHostName(name)}`);
  const entry = table.upgradeFor(pathOf(request.url));
  if (entry === undefined) return refuseUpgrade(socket, 404, 'Not found');
  try {
    entry.spec.handler({ request, socket, head, host: table.host, secure });
  } catch (error) {
    logger.error({ err: error, host: table.host, path: entry.path }, 'upgrade handler failed');
    socket.destroy();
  }
}
