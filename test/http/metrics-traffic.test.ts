/**
 * http_openmetrics: real traffic moves the numbers. Clients log in over TCP and WebSocket, send
 * messages, fail a login, fill a room whose joins a real muc_http_auth backend on 127.0.0.1
 * authorizes; each scrape is parsed by an independent exposition-format parser.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { AuthBackend } from '../helpers/muc-http-auth-backend.js';
import { createInstantRoom, enter, login, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { histogramOf, scrape, valueOf, valueOrZero, type Scrape } from '../helpers/metrics-scrape.js';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { wsLogin, type WsClient } from '../helpers/ws-client.js';

let server: TestServer;
let backend: AuthBackend;
let alice: RawClient;
let carol: RawClient;
let bob: WsClient;
let before: Scrape;

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startTestServer({
    users: users('alice', 'bob', 'carol'),
    // Two wrong passwords from one address lock it (checked last, when no login is left to do).
    globals: { modules_enabled: ['http_openmetrics'], limit_auth_max: 2 },
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url() })],
  });
  before = await scrape(server.httpUrl!);
  alice = await login(server.port, 'alice', 'desk');
  carol = await login(server.port, 'carol', 'desk');
  bob = await wsLogin(server.websocketUrl!, 'bob@localhost', 'bob-secret', 'web');
});
afterAll(async () => {
  alice?.close();
  carol?.close();
  bob?.stop();
  await server?.stop();
  await backend?.close();
});

const delta = (after: Scrape, name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOrZero(before, name, labels);

async function failedLogin(): Promise<void> {
  await expect(rawLogin(server.port, 'alice@localhost', 'wrong-password', 'x')).rejects.toThrow(/login failed/);
}

test('the exposition is Prometheus text 0.0.4 with process and Node.js metrics', async () => {
  const scraped = await scrape(server.httpUrl!);
  expect(scraped.reply.status).toBe(200);
  expect(scraped.reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(valueOf(scraped, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
  expect(valueOf(scraped, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  // Event-loop delay, from perf_hooks.monitorEventLoopDelay.
  expect(scraped.families.get('nodejs_eventloop_lag_p99_seconds')?.type).toBe('GAUGE');
  expect(scraped.families.get('salon_mod_c2s__stanzas_received_total')?.type).toBe('COUNTER');
});

test('connections and sessions by transport follow the clients', async () => {
  const after = await scrape(server.httpUrl!);
  expect(valueOf(after, 'salon_mod_c2s__connections', { transport: 'tcp' })).toBe(2);
  expect(valueOf(after, 'salon_mod_c2s__connections', { transport: 'websocket' })).toBe(1);
  expect(valueOf(after, 'salon_mod_c2s__connections', { transport: 'bosh' })).toBe(0);
  expect(delta(after, 'salon_mod_c2s__connections_opened_total', { transport: 'tcp' })).toBe(2);
  expect(delta(after, 'salon_mod_c2s__connections_opened_total', { transport: 'websocket' })).toBe(1);
  expect(valueOf(after, 'salon_mod_c2s__sessions', { host: 'localhost', transport: 'tcp' })).toBe(2);
  expect(valueOf(after, 'salon_mod_c2s__sessions', { host: 'localhost', transport: 'websocket' })).toBe(1);
  expect(valueOf(after, 'salon_mod_c2s__sessions', { host: 'localhost', transport: 'hibernated' })).toBe(0);
  expect(delta(after, 'salon_mod_saslauth__successes_total')).toBe(3);
});

test('messages in and out are counted by kind', async () => {
  const start = await scrape(server.httpUrl!);
  const seen = bob.received.length;
  for (let n = 1; n <= 3; n++) alice.send(`<message to='bob@localhost/web' type='chat' id='m${n}'><body>hello ${n}</body></message>`);
  await bob.waitFor((el) => el.name === 'message' && el.attrs.id === 'm3', 3000, seen);
  const after = await scrape(server.httpUrl!);
  expect(valueOf(after, 'salon_mod_c2s__stanzas_received_total', { kind: 'message' })
    - valueOf(start, 'salon_mod_c2s__stanzas_received_total', { kind: 'message' })).toBe(3);
  expect(valueOf(after, 'salon_mod_c2s__stanzas_sent_total', { kind: 'message' })
    - valueOf(start, 'salon_mod_c2s__stanzas_sent_total', { kind: 'message' })).toBe(3);
});

test('a stanza the router bounces is counted under its condition', async () => {
  const start = await scrape(server.httpUrl!);
  const seen = alice.received.length;
  alice.send("<iq type='get' id='lost' to='bob@localhost/nowhere'><ping xmlns='urn:xmpp:ping'/></iq>");
  const reply = await alice.waitFor((el) => el.attrs.id === 'lost', 3000, seen);
  expect(reply.attrs.type).toBe('error');
  const after = await scrape(server.httpUrl!);
  expect(valueOf(after, 'salon_router__errors_total', { condition: 'service-unavailable' })
    - valueOrZero(start, 'salon_router__errors_total', { condition: 'service-unavailable' })).toBe(1);
});

test('rooms, occupants and the authorizer\'s latency per plugin', async () => {
  await createInstantRoom(alice, 'lobby', 'Alice');
  await enter(carol, 'lobby', 'Carol');
  await Promise.all([sync(alice), sync(carol)]);
  const after = await scrape(server.httpUrl!);
  expect(valueOf(after, 'salon_mod_muc__rooms', { host: SERVICE })).toBe(1);
  expect(valueOf(after, 'salon_mod_muc__occupants', { host: SERVICE })).toBe(2);
  const latency = histogramOf(after, 'salon_outbound_http__request_duration_seconds', { plugin: 'muc_http_auth', outcome: '200' });
  expect(backend.requests).toHaveLength(2);
  expect(latency.count).toBe(2);
  expect(latency.buckets.get('+Inf')).toBe(2);
  expect(latency.buckets.get('30')).toBe(2);
  expect(latency.sum).toBeGreaterThan(0);
  expect(latency.sum).toBeLessThan(30);
});

test('a wrong password is a failure, a second one from the address a lockout', async () => {
  await failedLogin();
  const once = await scrape(server.httpUrl!);
  expect(delta(once, 'salon_mod_saslauth__failures_total', { condition: 'not-authorized' })).toBe(1);
  expect(delta(once, 'salon_mod_saslauth__lockouts_total')).toBe(0);
  await failedLogin();
  const twice = await scrape(server.httpUrl!);
  expect(delta(twice, 'salon_mod_saslauth__failures_total', { condition: 'not-authorized' })).toBe(2);
  expect(delta(twice, 'salon_mod_saslauth__lockouts_total')).toBe(1);
});
