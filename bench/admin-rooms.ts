/**
 * Admin API throughput (issue 17): room creations per second (`PUT /admin/rooms/{room}`) and
 * bulk affiliation calls of 1,000 JIDs per second (`POST /admin/rooms/{room}/affiliations`),
 * against the compiled package (dist/) in process, over keep-alive HTTP on loopback, with a
 * fixed number of requests in flight (closed loop). One JSON line per result on stdout.
 * Run: npx tsc -p tsconfig.build.json && node node_modules/jiti/lib/jiti-cli.mjs bench/admin-rooms.ts [--help]
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { benchToken, closedLoop } from './support/admin-closed-loop.js';
import { Component, startServer, VirtualHost } from 'salon';

const USAGE = `Usage: node node_modules/jiti/lib/jiti-cli.mjs bench/admin-rooms.ts [flags]
  --seconds N       measuring window per scenario (default 5)
  --concurrency N   requests in flight (default 16)
  --jids N          JIDs per bulk affiliation call (default 1000)`;

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, jids: { type: 'string', default: '1000' },
  help: { type: 'boolean', default: false },
} });
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const JIDS = Number(values.jids);

const { token, digest } = benchToken();
const loop = { seconds: SECONDS, concurrency: CONCURRENCY, params: { jids: JIDS } };

const server = await startServer({
  config: {
    c2s_ports: [], c2s_direct_tls_ports: [], http_ports: [0], https_ports: [], http_interfaces: ['127.0.0.1'],
    log_level: 'warn',
    hosts: [
      VirtualHost('localhost', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: [{ name: 'bench', hash: digest, scopes: ['rooms:read', 'rooms:write'] }] }),
      // Room of 1,000 members per call; the bench's rooms never grow past that.
      Component('conference.localhost', 'muc', { muc_max_affiliations: 2 * JIDS + 10 }),
    ],
  },
  tls: false,
  storage: 'memory',
});
const base = `${server.httpUrl!}/admin`;
const dispatcher = new Agent({ connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', host: 'localhost' };

async function call(method: 'PUT' | 'POST', path: string, body: string): Promise<number> {
  const response = await request(`${base}${path}`, { method, headers, body, dispatcher });
  await response.body.dump();
  return response.statusCode;
}

const createBody = JSON.stringify({ config: { roomname: 'Bench', membersonly: true }, affiliations: { 'owner@localhost': 'owner' }, subject: 'Hello' });
await closedLoop('admin-room-create', loop, (i) => call('PUT', `/rooms/room${i}`, createBody), 201);

// One room per lane: alternate each call's 1,000 JIDs between member and none, so every call changes all of them.
const lists = (['member', 'none'] as const).map((affiliation) =>
  JSON.stringify({ affiliations: Array.from({ length: JIDS }, (_, index) => ({ jid: `user${index}@localhost`, affiliation })) }));
process.stderr.write(`bulk body: ${Buffer.byteLength(lists[0]!)} bytes\n`);
for (let lane = 0; lane < CONCURRENCY; lane++) await call('PUT', `/rooms/bulk${lane}`, JSON.stringify({ affiliations: { 'owner@localhost': 'owner' } }));
const rounds = new Array<number>(CONCURRENCY).fill(0);
await closedLoop('admin-bulk-affiliations', loop, (_, lane) => {
  const round = rounds[lane]!++;
  return call('POST', `/rooms/bulk${lane}/affiliations`, lists[round % 2]!);
}, 200);

await dispatcher.close();
await server.stop();
