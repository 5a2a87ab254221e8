/**
 * Starts a real Salon server for a test: loopback, ephemeral ports, in-memory storage, a
 * process-cached certificate, silent logs (or captured logs when asked).
 */
import { Component, startServer, VirtualHost, type RunningServer, type HostInput } from '../../salon.js';
import { recordingLogger } from './recording-logger.js';
import { trustCertificate } from './xmpp-client.js';

export interface TestServerOptions {
  /** Global options merged over the test defaults. */
  globals?: Record<string, unknown>;
  /** Hosts; default a VirtualHost `localhost` and its MUC service `conference.localhost`. */
  hosts?: HostInput[];
  users?: Record<string, string>;
  tls?: 'test' | false;
}

export interface TestServer extends RunningServer {
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly port: number;
  readonly directTlsPort: number;
}

export const DEFAULT_USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' } as const;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { logger, lines: logs } = recordingLogger('debug');
  const server = await startServer({
    config: {
      c2s_ports: [0],
      c2s_direct_tls_ports: options.tls === false ? [] : [0],
      c2s_interfaces: ['127.0.0.1'],
      // HTTP on ephemeral loopback ports: never the fixed 5280/5281 two parallel suites would share.
      http_ports: [0],
      https_ports: options.tls === false ? [] : [0],
      http_interfaces: ['127.0.0.1'],
      https_interfaces: ['127.0.0.1'],
      sasl_iterations: 4096,
      ...options.globals,
      hosts: options.hosts ?? [VirtualHost('localhost'), Component('conference.localhost', 'muc')],
    },
    logger,
    users: options.users ?? { ...DEFAULT_USERS },
    tls: options.tls ?? 'test',
    storage: 'memory',
  });
  trustCertificate(server.certificate);
  return Object.assign(server, { logs, port: server.c2s!.port, directTlsPort: server.directTls?.port ?? 0 });
}
