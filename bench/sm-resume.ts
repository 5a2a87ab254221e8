/**
 * XEP-0198 costs on a Salon server in this process (loopback TCP, no TLS, in-memory storage):
 *
 * - resume latency: a client with 10 unacknowledged messages loses its connection; the time from
 *   the cut until a new connection has authenticated, resumed and received all 10 again;
 * - memory per hibernated session: N clients bind, enable resumption and send initial presence,
 *   then all lose their connections; the heap (after a full GC) and RSS are compared with the
 *   same server before they logged in.
 *
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/sm-resume.ts [--rounds 200] [--sessions 1000]
 * Prints one JSON line per measurement.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { startServer, VirtualHost } from '../salon.js';
import { ScramKeyCache } from './support/scram-client.js';
import { SmClient, type SmConnectOptions } from './support/sm-client.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' }, sessions: { type: 'string', default: '1000' } } });
const ROUNDS = Number(values.rounds);
const SESSIONS = Number(values.sessions);
const QUEUED = 10;

const users: Record<string, string> = { 'sender@localhost': 'secret', 'mobile@localhost': 'secret' };
for (let i = 0; i < SESSIONS; i++) users[`user${i}@localhost`] = 'secret';

const server = await startServer({
  config: {
    c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
    c2s_require_encryption: false, allow_unencrypted_plain_auth: true, sasl_iterations: 4096,
    c2s_max_connections_per_ip: 100_000, // every client of the bench comes from 127.0.0.1
    log_level: 'error',
    hosts: [VirtualHost('localhost')],
  },
  users, tls: false, storage: 'memory',
});
const port = server.c2s!.port;
const scramKeys = new ScramKeyCache();
const options = (username: string): SmConnectOptions => ({ host: '127.0.0.1', port, domain: 'localhost', username, password: 'secret', mechanism: 'PLAIN', scramKeys });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function messagesArrived(client: SmClient, count: number): Promise<void> {
  let seen = 0;
  await new Promise<void>((resolve) => {
    client.onStanza = (_xml, name) => {
      if (name === 'message' && ++seen === count) resolve();
    };
  });
  client.onStanza = undefined;
}

async function resumeLatency(): Promise<void> {
  const sender = await SmClient.authenticated(options('sender'));
  await sender.bindAndEnable();
  let client = await SmClient.authenticated(options('mobile'));
  await client.bindAndEnable();
  await client.roundTrip('warm');
  const timings: number[] = [];
  const authOnly: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // The part of a resumption that is a login like any other: connect, stream, SASL, restart.
    const loginStarted = performance.now();
    (await SmClient.authenticated(options('sender'))).destroy();
    authOnly.push(performance.now() - loginStarted);
    const arrived = messagesArrived(client, QUEUED);
    for (let i = 0; i < QUEUED; i++) sender.send(`<message to='${client.jid}' type='chat'><body>round ${round} message ${i}</body></message>`);
    await arrived;
    const cut = client;
    // The client handled them but never acknowledged: all 10 must come again.
    cut.handled -= QUEUED;
    const started = performance.now();
    cut.cut();
    const next = await SmClient.authenticated(options('mobile'));
    const again = messagesArrived(next, QUEUED);
    await next.resume(cut);
    await again;
    timings.push(performance.now() - started);
    client = next;
  }
  timings.sort((a, b) => a - b);
  authOnly.sort((a, b) => a - b);
  console.log(JSON.stringify({
    measure: 'resume-latency-ms', rounds: ROUNDS, redelivered: QUEUED,
    median: +percentile(timings, 0.5).toFixed(2), p95: +percentile(timings, 0.95).toFixed(2), max: +timings.at(-1)!.toFixed(2),
    authenticationOnlyMedian: +percentile(authOnly, 0.5).toFixed(2),
  }));
  client.close();
  sender.close();
}

function heap(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

async function hibernatedMemory(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = heap();
  const clients: SmClient[] = [];
  for (let i = 0; i < SESSIONS; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, async (_, j) => {
      const client = await SmClient.authenticated(options(`user${i + j}`));
      await client.bindAndEnable();
      await client.roundTrip('ready');
      return client;
    }));
    clients.push(...batch);
  }
  for (const client of clients) client.cut();
  clients.length = 0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = heap();
  console.log(JSON.stringify({
    measure: 'hibernated-session-memory', sessions: SESSIONS,
    heapBytesPerSession: Math.round((after.heap - before.heap) / SESSIONS),
    rssBytesPerSession: Math.round((after.rss - before.rss) / SESSIONS),
  }));
}

try {
  await resumeLatency();
  await hibernatedMemory();
} finally {
  await server.stop();
}
