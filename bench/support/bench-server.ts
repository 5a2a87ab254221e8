/**
 * A Salon server for benchmarks, run as its own process so that its CPU and memory are measured
 * apart from the load generator's. Arguments: `--users N` (accounts `user0..user<N-1>@localhost`,
 * password `pw`), `--tls` (a test certificate, STARTTLS and Direct TLS; otherwise no TLS).
 *
 * Protocol on stdio: one JSON line `{port, directTlsPort, pid, certificate}` once listening; each
 * `stats` line on stdin is answered with `{rss, heapUsed, cpuUser, cpuSystem, wallMs}` (bytes,
 * microseconds since start, a monotonic clock in ms), `stats gc` likewise after a full garbage
 * collection when node runs with `--expose-gc`; the end of stdin stops the server.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
// The package itself (dist/, built by `npm run build`): benchmarks measure the compiled server.
import { startServer, VirtualHost, type RunningServer } from 'salon';
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, type ServerReady, type ServerStats } from './bench-protocol.js';

function benchUsers(count: number): Record<string, string> {
  const users: Record<string, string> = {};
  for (let i = 0; i < count; i++) users[`${benchUsername(i)}@${BENCH_DOMAIN}`] = BENCH_PASSWORD;
  return users;
}

async function start(users: number, tls: boolean): Promise<RunningServer> {
  return startServer({
    config: {
      c2s_ports: [0],
      c2s_direct_tls_ports: tls ? [0] : [],
      c2s_interfaces: ['127.0.0.1'],
      c2s_require_encryption: false,
      allow_unencrypted_plain_auth: !tls,
      c2s_max_connections_per_ip: 1_000_000,
      limit_auth_max: 1_000_000,
      sasl_iterations: 4096,
      log_level: 'silent',
      hosts: [VirtualHost(BENCH_DOMAIN)],
    },
    logLevel: 'silent',
    users: benchUsers(users),
    tls: tls ? 'test' : false,
    storage: 'memory',
  });
}

function stats(): ServerStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, cpuUser: cpu.user, cpuSystem: cpu.system, wallMs: performance.now() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '100' }, tls: { type: 'boolean', default: false } } });
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1 || users > 1_000_000) throw new Error(`--users must be an integer from 1 to 1000000, got ${values.users}`);
  const server = await start(users, values.tls);
  if (server.c2s === undefined) throw new Error('no c2s listener');
  const ready: ServerReady = { port: server.c2s.port, directTlsPort: server.directTls?.port ?? 0, pid: process.pid, certificate: server.certificate };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const request = line.trim();
    // `stats gc` collects garbage first when node runs with --expose-gc (heap growth = retained memory).
    if (request === 'stats gc') (globalThis as { gc?: () => void }).gc?.();
    if (request === 'stats' || request === 'stats gc') process.stdout.write(`${JSON.stringify(stats())}\n`);
  });
  input.on('close', () => {
    server.stop().then(() => process.exit(0), (error: unknown) => {
      process.stderr.write(`stop failed: ${String(error)}\n`);
      process.exit(1);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
