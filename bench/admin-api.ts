/**
 * Admin API throughput (issue 17): account creations per second (`PUT /admin/users/{username}`,
 * each one deriving SCRAM keys with the shipped `sasl_iterations`) and a simple authenticated
 * read (`GET /admin/users/{username}/sessions`: token check, routing, validation, JSON), against
 * the compiled package (dist/) in process, over keep-alive HTTP on loopback, with a fixed number
 * of requests in flight (closed loop, undici). One JSON line per result on stdout.
 * Run: npx tsc -p tsconfig.build.json && node node_modules/jiti/lib/jiti-cli.mjs bench/admin-api.ts [--help]
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { benchToken, closedLoop } from './support/admin-closed-loop.js';
import { startServer, VirtualHost } from 'salon';

const USAGE = `Usage: node node_modules/jiti/lib/jiti-cli.mjs bench/admin-api.ts [flags]
  --seconds N       measuring window per scenario (default 5)
  --concurrency N   requests in flight (default 16)`;

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, help: { type: 'boolean', default: false },
} });
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

const { token, digest } = benchToken();
const loop = { seconds: SECONDS, concurrency: CONCURRENCY };

const server = await startServer({
  config: {
    c2s_ports: [], c2s_direct_tls_ports: [], http_ports: [0], https_ports: [], http_interfaces: ['127.0.0.1'],
    log_level: 'warn',
    hosts: [VirtualHost('localhost', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: [{ name: 'bench', hash: digest, scopes: ['users:read', 'users:write'] }] })],
  },
  users: { 'alice@localhost': 'alice-secret' },
  tls: false,
  storage: 'memory',
});
const base = `${server.httpUrl!}/admin`;
const dispatcher = new Agent({ connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', host: 'localhost' };

async function call(method: 'GET' | 'PUT', path: string, body?: string): Promise<number> {
  const response = await request(`${base}${path}`, { method, headers, dispatcher, ...(body === undefined ? {} : { body }) });
  await response.body.dump();
  return response.statusCode;
}

await closedLoop('admin-get-sessions', loop, () => call('GET', '/users/alice/sessions'), 200);
const createBody = JSON.stringify({ password: 'bench-password' });
await closedLoop('admin-user-create', loop, (i) => call('PUT', `/users/user${i}`, createBody), 201);
await closedLoop('admin-get-unauthorized', loop, async () => {
  const response = await request(`${base}/users/alice/sessions`, { method: 'GET', headers: { host: 'localhost', authorization: 'Bearer wrong' }, dispatcher });
  await response.body.dump();
  return response.statusCode;
}, 401);

await dispatcher.close();
await server.stop();
