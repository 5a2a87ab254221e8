/**
 * A server with a MUC component on a given data directory and the configured (file and LMDB)
 * storage, no memory override: started again on the same directory, it finds what the last one
 * kept. For the tests of what survives a restart.
 */
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import { SERVICE, users } from './muc-harness.js';
import { trustCertificate } from './xmpp-client.js';

export async function startMucServerOn(dataPath: string, ...names: string[]): Promise<RunningServer & { port: number }> {
  const server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [], https_ports: [],
      sasl_iterations: 4096,
      data_path: dataPath,
      hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc')],
    },
    logger: silentLogger(),
    users: users(...names),
    tls: 'test',
  });
  trustCertificate(server.certificate);
  return Object.assign(server, { port: server.c2s!.port });
}
