/**
 * http_roster_admin: a username can never move the backend request to another path (issue 14,
 * finding 7: `/api/users/../contacts` is `/api/contacts`), and a refresh path that is not UTF-8
 * names no user (spec §3.7.2). The backend is a real HTTP server recording each request target.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { VirtualHost } from '../../salon.js';
import { send } from '../helpers/http-request.js';
import { rawLogin } from '../helpers/raw-login.js';
import type { RawClient } from '../helpers/raw-client.js';
import { RosterBackend } from '../helpers/roster-admin-backend.js';
import { getRoster } from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const USERS = { '..@example.com': 'dots-pw', '.@example.com': 'dot-pw', 'john@example.com': 'john-pw' };
let backend: RosterBackend;
let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  backend = await RosterBackend.start();
  // Every path answers with a valid (empty) roster: a request that reached a wrong path would succeed.
  backend.script = () => ({ status: 200, body: '{}' });
  server = await startTestServer({
    hosts: [VirtualHost('example.com', { modules_enabled: ['http_roster_admin'], http_roster_url: backend.url('/api/users/%s/contacts'), http_roster_timeout: 1 })],
    users: USERS,
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
  await backend.close();
});

async function rosterOf(jid: keyof typeof USERS): Promise<string | undefined> {
  const client = await rawLogin(server.port, jid, USERS[jid], 'res');
  clients.push(client);
  return (await getRoster(client)).attrs.type as string | undefined;
}

test('users named . and .. are never fetched; nothing but /api/users/<name>/contacts is ever requested', async () => {
  expect(await rosterOf('..@example.com')).toBe('error');
  expect(await rosterOf('.@example.com')).toBe('error');
  expect(await rosterOf('john@example.com')).toBe('result');
  const refresh = (rest: string) => send(`${server.httpUrl!}/roster_admin/refresh${rest}`, { host: 'example.com' });
  await refresh('/%2E%2E');
  await send(`${server.httpUrl!}/roster_admin/refresh`, { method: 'POST', host: 'example.com', body: '["..", ".", "john"]' });
  // john's fetches went out after every attempt for the dotted names: had one been made, it would be here.
  expect(backend.requests.map((request) => request.url)).toEqual(['/api/users/john/contacts', '/api/users/john/contacts']);
  expect(server.logs.some((line) => line.username === '..' && line.msg === 'roster fetch failed')).toBe(true);
});

test('GET /roster_admin/refresh/%FF (not UTF-8) is 400 Invalid username (spec §3.7.2)', async () => {
  const reply = await send(`${server.httpUrl!}/roster_admin/refresh/%FF`, { host: 'example.com' });
  expect([reply.status, reply.headers['content-type'], JSON.parse(reply.body)]).toEqual([400, 'application/json', { status: 'error', message: 'Invalid username' }]);
  expect(backend.requests).toEqual([]);
});
