/**
 * A Salon server for benchmarks, run as its own process so that its CPU and memory are measured
 * apart from the load generator's. Arguments:
 * - `--users N`: memory storage with accounts `user0..user<N-1>@localhost`, password `pw`;
 * - `--data DIR`: instead, the default (json-file) storage on DIR, accounts and rosters made
 *   beforehand by `salon import` (`bench-data.ts`), as a deployment keeps them;
 * - `--tls`: a test certificate, STARTTLS and Direct TLS; otherwise no TLS at all;
 * - `--muc`: a MUC service `conference.localhost` without history or room locking.
 * The environment variable `BENCH_ARCHIVE_SYNC` (`ordered` or `background`) sets the server's
 * `archive_sync` option; unset, the server's default applies.
 *
 * Protocol on stdio: one JSON line `{port, directTlsPort, pid, certificate}` once listening; each
 * `stats` line on stdin is answered with `{rss, heapUsed, cpuUser, cpuSystem, wallMs, fds, handles}`
 * (bytes, microseconds since start, a monotonic clock in ms), `stats gc` likewise after a full
 * garbage collection when node runs with `--expose-gc`; the end of stdin stops the server.
 */
import { readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
// The package itself (dist/, built by `npm run build`): benchmarks measure the compiled server.
import { Component, startServer, VirtualHost, type RunningServer } from 'salon';
import {
  BENCH_DOMAIN, BENCH_MUC_DOMAIN, BENCH_PASSWORD, BENCH_SASL_ITERATIONS, benchUsername, type ServerReady, type ServerStats,
} from './bench-protocol.js';

interface ServerArgs {
  users: number;
  data: string | undefined;
  tls: boolean;
  muc: boolean;
  archiveSync: 'ordered' | 'background' | undefined;
}

function benchUsers(count: number): Record<string, string> {
  const users: Record<string, string> = {};
  for (let i = 0; i < count; i++) users[`${benchUsername(i)}@${BENCH_DOMAIN}`] = BENCH_PASSWORD;
  return users;
}

async function start(args: ServerArgs): Promise<RunningServer> {
  const muc = Component(BENCH_MUC_DOMAIN, 'muc', { max_history_messages: 0, muc_room_default_history_length: 0, muc_room_locking: false });
  return startServer({
    config: {
      c2s_ports: [0],
      c2s_direct_tls_ports: args.tls ? [0] : [],
      c2s_interfaces: ['127.0.0.1'],
      http_ports: [],
      https_ports: [],
      c2s_require_encryption: false,
      allow_unencrypted_plain_auth: true,
      c2s_max_connections_per_ip: 1_000_000, // lifted: up to 5,000 bench sessions come from 8 loopback addresses (shipped 100 is tested in connection-limits.test.ts)
      sasl_iterations: BENCH_SASL_ITERATIONS,
      log_level: 'silent',
      ...(args.data === undefined ? {} : { data_path: args.data }),
      ...(args.archiveSync === undefined ? {} : { archive_sync: args.archiveSync }),
      hosts: [VirtualHost(BENCH_DOMAIN), ...(args.muc ? [muc] : [])],
    },
    logLevel: 'silent',
    ...(args.data === undefined ? { users: benchUsers(args.users), storage: 'memory' as const } : {}),
    tls: args.tls ? 'test' : false,
  });
}

function openFileDescriptors(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined; // not Linux: the figure is not reported
  }
}

function stats(): ServerStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: memory.rss, heapUsed: memory.heapUsed, cpuUser: cpu.user, cpuSystem: cpu.system, wallMs: performance.now(),
    fds: openFileDescriptors(), handles: process.getActiveResourcesInfo().length,
  };
}

function readArgs(): ServerArgs {
  const { values } = parseArgs({ options: {
    users: { type: 'string', default: '100' }, data: { type: 'string' },
    tls: { type: 'boolean', default: false }, muc: { type: 'boolean', default: false },
  } });
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1 || users > 1_000_000) throw new Error(`--users must be an integer from 1 to 1000000, got ${values.users}`);
  const sync = process.env.BENCH_ARCHIVE_SYNC;
  if (sync !== undefined && sync !== 'ordered' && sync !== 'background') throw new Error(`BENCH_ARCHIVE_SYNC must be ordered or background, got ${sync}`);
  return { users, data: values.data, tls: values.tls, muc: values.muc, archiveSync: sync };
}

async function main(): Promise<void> {
  const server = await start(readArgs());
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
