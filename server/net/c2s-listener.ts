/**
 * Client listeners: plain TCP with STARTTLS (RFC 6120 §5) and Direct TLS (XEP-0368). Each accepted
 * socket becomes a `TcpConnection` feeding one `XmppStream`. Per-address connection counts are
 * bounded (`c2s_max_connections_per_ip`).
 */
import { createServer, type Server, type Socket, type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from '../log/index.js';
import type { C2sEnvironment } from '../stream/c2s-environment.js';
import { TCP_HEADER_RULES } from '../stream/stream-header.js';
import { XmppStream } from '../stream/xmpp-stream.js';
import { TcpConnection } from './tcp-connection.js';
import type { TlsContextSource } from './tls-context-source.js';

export interface ListenerOptions {
  env: C2sEnvironment;
  tls: TlsContextSource | undefined;
  maxConnectionsPerAddress: number;
  logger: Logger;
  /** Every stream created, so the server can end them all on shutdown. */
  onStream(stream: XmppStream): void;
}

export interface BoundListener {
  readonly kind: 'c2s' | 'c2s-direct-tls';
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export class ConnectionCounter {
  readonly #counts = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot for the address; false when it has no slot left. */
  acquire(address: string): boolean {
    const count = this.#counts.get(address) ?? 0;
    if (count >= this.max) return false;
    this.#counts.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.#counts.get(address) ?? 1) - 1;
    if (count <= 0) this.#counts.delete(address);
    else this.#counts.set(address, count);
  }
}

export async function listenC2s(
  kind: BoundListener['kind'],
  interfaceName: string,
  port: number,
  options: ListenerOptions,
  counter: ConnectionCounter,
): Promise<BoundListener> {
  const onSocket = (socket: Socket): void => accept(socket, options, counter);
  let server: Server;
  if (kind === 'c2s-direct-tls') {
    const source = options.tls;
    if (source === undefined) throw new Error('Direct TLS needs certificates');
    server = createTlsServer(
      {
        ...source.serverOptions(),
        handshakeTimeout: 10_000,
        ALPNProtocols: ['xmpp-client'],
      },
      onSocket,
    );
    server.on('tlsClientError', (error) => options.logger.debug({ err: error }, 'TLS client error'));
  } else {
    server = createServer(onSocket);
  }
  const host = interfaceName === '*' ? undefined : interfaceName;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.logger.error({ err: error }, 'listener error'));
  const bound = server.address() as AddressInfo;
  options.logger.info({ kind, address: bound.address, port: bound.port }, 'listening');
  return {
    kind,
    address: bound.address,
    port: bound.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function accept(socket: Socket, options: ListenerOptions, counter: ConnectionCounter): void {
  const address = socket.remoteAddress ?? 'unknown';
  socket.on('error', () => undefined);
  if (!counter.acquire(address)) {
    options.logger.warn({ remote: address }, 'too many connections from one address');
    socket.destroy();
    return;
  }
  socket.once('close', () => counter.release(address));
  const { env } = options;
  const limits = {
    maxStanzaBytes: env.limits.unauthedStanzaBytes,
    maxDepth: env.limits.maxDepth,
    maxAttributes: env.limits.maxAttributes,
  };
  const connection = new TcpConnection(socket, limits, options.tls);
  const stream = new XmppStream(env, connection, TCP_HEADER_RULES, false);
  connection.attach(stream);
  options.onStream(stream);
}
