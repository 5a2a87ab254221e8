/**
 * The server process of `muc-fanout.ts`: Salon with a MUC service (`conference.localhost`), accounts
 * `user0..user<N-1>@localhost` (password `pw`), no TLS, memory storage, silent logs. It speaks the
 * stdio protocol of `bench/support/bench-server.ts`: one ready line, a stats line per `stats`
 * request, stop when stdin ends.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
// The package itself (dist/, built by `npm run build`): benchmarks measure the compiled server.
import { Component, startServer, VirtualHost } from 'salon';
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, type ServerReady, type ServerStats } from './support/bench-protocol.js';

const MUC_DOMAIN = `conference.${BENCH_DOMAIN}`;

function stats(): ServerStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, cpuUser: cpu.user, cpuSystem: cpu.system, wallMs: performance.now() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '200' } } });
  const count = Number(values.users);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error(`--users must be an integer from 1 to 100000, got ${values.users}`);
  const users: Record<string, string> = {};
  for (let i = 0; i < count; i++) users[`${benchUsername(i)}@${BENCH_DOMAIN}`] = BENCH_PASSWORD;
  const server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [], https_ports: [],
      c2s_require_encryption: false, allow_unencrypted_plain_auth: true,
      c2s_max_connections_per_ip: 1_000_000, limit_auth_max: 1_000_000,
      sasl_iterations: 4096, log_level: 'silent',
      hosts: [VirtualHost(BENCH_DOMAIN), Component(MUC_DOMAIN, 'muc', { max_history_messages: 0, muc_room_default_history_length: 0 })],
    },
    logLevel: 'silent', users, tls: false, storage: 'memory',
  });
  const ready: ServerReady = { port: server.c2s!.port, directTlsPort: 0, pid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify(stats())}\n`);
  });
  input.on('close', () => {
    server.stop().then(() => process.exit(0), (error: unknown) => {
      process.stderr.write(`stop failed: ${String(error)}\n`);
      process.exit(1);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`muc bench server failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
