/**
 * The benchmark server of `bench/webhooks.ts`: the same server, accounts and stdio protocol as
 * `support/bench-server.ts --muc` (memory accounts `user0..`, no TLS, a MUC service without
 * history or room locking), plus `http_webhooks` on every host when `BENCH_WEBHOOK_URL` is set
 * (secret `BENCH_WEBHOOK_SECRET`; `BENCH_WEBHOOK_MESSAGES=1` adds message.posted for every room;
 * `BENCH_WEBHOOK_IN_FLIGHT=N` sets http_webhooks_max_in_flight), plus `http_openmetrics` on an
 * HTTP listener on 127.0.0.1 when `BENCH_METRICS=1` (its port is `httpPort` in the ready line).
 * Shipped webhook limits; only the options the scenario needs are set.
 * Protocol on stdio: one JSON ready line; each `stats` line is answered with the process figures;
 * the end of stdin stops the server.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Component, startServer, VirtualHost } from 'salon';
import {
  BENCH_DOMAIN, BENCH_MUC_DOMAIN, BENCH_PASSWORD, BENCH_SASL_ITERATIONS, benchUsername, type ServerReady, type ServerStats,
} from './support/bench-protocol.js';

/** `http_openmetrics` and the HTTP listener it is served on (loopback may read /metrics by default). */
function metricsOptions(): Record<string, unknown> {
  if (process.env.BENCH_METRICS !== '1') return {};
  return { http_ports: [0], http_interfaces: ['127.0.0.1'] };
}

function modulesEnabled(): string[] {
  const url = process.env.BENCH_WEBHOOK_URL;
  return [
    ...(url === undefined || url === '' ? [] : ['http_webhooks']),
    ...(process.env.BENCH_METRICS === '1' ? ['http_openmetrics'] : []),
  ];
}

function webhookOptions(): Record<string, unknown> {
  const url = process.env.BENCH_WEBHOOK_URL;
  if (url === undefined || url === '') return {};
  return {
    http_webhooks: [{ url, secret: process.env.BENCH_WEBHOOK_SECRET }],
    http_webhooks_messages: process.env.BENCH_WEBHOOK_MESSAGES === '1',
    // BENCH_WEBHOOK_IN_FLIGHT compares other in-flight bounds with the shipped one.
    ...(process.env.BENCH_WEBHOOK_IN_FLIGHT === undefined ? {} : { http_webhooks_max_in_flight: Number(process.env.BENCH_WEBHOOK_IN_FLIGHT) }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '100' } } });
  const users: Record<string, string> = {};
  for (let i = 0; i < Number(values.users); i++) users[`${benchUsername(i)}@${BENCH_DOMAIN}`] = BENCH_PASSWORD;
  const server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      c2s_require_encryption: false, allow_unencrypted_plain_auth: true,
      c2s_max_connections_per_ip: 1_000_000, // lifted as in support/bench-server.ts: bench sessions share loopback addresses
      sasl_iterations: BENCH_SASL_ITERATIONS, log_level: 'silent',
      ...webhookOptions(),
      ...metricsOptions(),
      modules_enabled: modulesEnabled(),
      hosts: [VirtualHost(BENCH_DOMAIN), Component(BENCH_MUC_DOMAIN, 'muc', { max_history_messages: 0, muc_room_default_history_length: 0, muc_room_locking: false })],
    },
    logLevel: 'silent', users, storage: 'memory', tls: false,
  });
  const httpPort = server.httpUrl === undefined ? undefined : Number(new URL(server.httpUrl).port);
  const ready: ServerReady & { httpPort?: number } = { port: server.c2s!.port, directTlsPort: 0, pid: process.pid, ...(httpPort === undefined ? {} : { httpPort }) };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() !== 'stats') return;
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const stats: ServerStats = { rss: memory.rss, heapUsed: memory.heapUsed, cpuUser: cpu.user, cpuSystem: cpu.system, wallMs: performance.now() };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  });
  input.on('close', () => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks bench server failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
