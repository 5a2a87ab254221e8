/**
 * Client listeners: plain TCP with STARTTLS (RFC 6120 §5) and Direct TLS (XEP-0368). Each accepted
 * socket becomes a `TcpConnection` feeding one `XmppStream`. Connections are bounded per address
 * (`c2s_max_connections_per_ip`, addresses under their limit key) and in total
 * (`c2s_max_connections`, shared with WebSocket and BOSH).
 */
import { createServer, type Server, type Socket, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Logger } from '../log/index.js';
import type { Transport } from '../stats/index.js';
import { TCP_HEADER_RULES, XmppStream, type C2sEnvironment } from '../stream/index.js';
import { StreamError } from '../errors/index.js';
import type { ConnectionCounter } from './connection-counter.js';
import { TcpConnection } from './tcp-connection.js';
import { followCertificateChanges, type TlsContextSource } from './tls-context-source.js';

export interface ListenerOptions {
  env: C2sEnvironment;
  tls: TlsContextSource | undefined;
  logger: Logger;
  /** Every stream created, so the server can end them all on shutdown (and count it as open). */
  onStream(stream: XmppStream, transport: Transport): void;
}

export interface BoundListener {
  readonly kind: 'c2s' | 'c2s-direct-tls';
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listenC2s(
  kind: BoundListener['kind'],
  interfaceName: string,
  port: number,
  options: ListenerOptions,
  counter: ConnectionCounter,
): Promise<BoundListener> {
  const transport: Transport = kind === 'c2s-direct-tls' ? 'direct_tls' : 'tcp';
  const onSocket = (socket: Socket): void => accept(socket, transport, options, counter);
  let server: Server;
  let stopFollowing = (): void => undefined;
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
    stopFollowing = followCertificateChanges(server as TlsServer, source); // a reload's new certificates
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
    close: () => {
      stopFollowing();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function accept(socket: Socket, transport: Transport, options: ListenerOptions, counter: ConnectionCounter): void {
  const address = socket.remoteAddress ?? 'unknown';
  socket.on('error', () => undefined);
  const refusal = counter.acquire(address);
  if (refusal === 'address-full') {
    options.logger.warn({ remote: address }, 'too many connections from one address');
    socket.destroy();
    return;
  }
  if (refusal === undefined) socket.once('close', () => counter.release(address));
  const { env } = options;
  const limits = {
    maxStanzaBytes: env.limits.unauthedStanzaBytes,
    maxDepth: env.limits.maxDepth,
    maxAttributes: env.limits.maxAttributes,
  };
  const connection = new TcpConnection(socket, limits, options.tls);
  const stream = new XmppStream(env, connection, TCP_HEADER_RULES, false, transport);
  connection.attach(stream);
  if (refusal === 'server-full') {
    options.logger.warn({ remote: address, max: counter.maxTotal }, 'client connection limit reached (c2s_max_connections)');
    // RFC 6120 §4.9.3.17: the server lacks the resources to serve the stream. The header goes
    // out first (§4.9.1.1), then the error and the close; the socket holds no slot meanwhile.
    stream.close(new StreamError('resource-constraint', 'Too many client connections'));
    return;
  }
  options.onStream(stream, transport);
}
