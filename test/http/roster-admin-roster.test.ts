/**
 * http_roster_admin, the roster as clients see it (spec §3.4 – §3.6.2, scenarios R1 – R5, R15,
 * R16, R19): fetched from a real HTTP backend at the first roster get, shared and cached while the
 * user is online, read-only, and dropped with the last session.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { RosterBackend, closedPort } from '../helpers/roster-admin-backend.js';
import {
  JOHN_ROSTER, loginAs, startRosterAdminServer,
} from '../helpers/roster-admin-xmpp.js';
import { ask, errorCondition, getRoster, isPresence, itemsOf } from '../helpers/roster-raw.js';
import type { TestServer } from '../helpers/test-server.js';

const servers: TestServer[] = [];
const backends: RosterBackend[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

async function backendWithJohn(): Promise<RosterBackend> {
  const backend = await RosterBackend.start();
  backends.push(backend);
  backend.rosters.set('john', JOHN_ROSTER);
  return backend;
}

async function serve(backend: RosterBackend, host: Record<string, unknown> = {}): Promise<TestServer> {
  const server = await startRosterAdminServer(backend, { host });
  servers.push(server);
  return server;
}

async function connect(server: TestServer, user: string, resource = 'res'): Promise<RawClient> {
  const client = await loginAs(server, user, resource);
  clients.push(client);
  return client;
}

test('R1 roster at login', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend);
  const john = await connect(server, 'john');
  const reply = await getRoster(john);
  expect(reply.attrs.type).toBe('result');
  expect(backend.requests).toHaveLength(1);
  expect(backend.requests[0]).toMatchObject({ method: 'GET', url: '/contacts/john' });
  expect(backend.requests[0]!.headers.accept).toBe('application/json, text/plain, */*');
  expect(backend.requests[0]!.headers.authorization).toBeUndefined();
  const query = reply.getChild('query', 'jabber:iq:roster');
  expect(query?.attrs.ver).toBeUndefined();
  expect(Object.fromEntries(itemsOf(reply))).toEqual({
    'marie@example.com': { subscription: 'both', ask: undefined, name: 'Marie', groups: ['Friends'] },
    'michael@example.com': { subscription: 'both', ask: undefined, name: 'Michael', groups: [] },
  });
});

test('R2 cached roster for later gets and other sessions', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend);
  const desk = await connect(server, 'john', 'desk');
  const first = itemsOf(await getRoster(desk));
  const again = itemsOf(await getRoster(desk));
  const phone = await connect(server, 'john', 'phone');
  const other = itemsOf(await getRoster(phone));
  expect(backend.requests).toHaveLength(1);
  expect(again).toEqual(first);
  expect(other).toEqual(first);
  expect(first.size).toBe(2);
});

test('R3 groups given as an array', async () => {
  const backend = await backendWithJohn();
  backend.rosters.set('john', { 'marie@example.com': { name: 'Marie', groups: ['A', 'B'] } });
  const server = await serve(backend);
  const john = await connect(server, 'john');
  const items = itemsOf(await getRoster(john));
  expect(items.get('marie@example.com')).toEqual({ subscription: 'both', ask: undefined, name: 'Marie', groups: ['A', 'B'] });
});

/** Roster get, then the iq error and the stream error, in that order, within `withinMs`. */
async function expectFetchFailure(server: TestServer, withinMs: number): Promise<void> {
  const john = await connect(server, 'john');
  const started = Date.now();
  const reply = await getRoster(john, undefined);
  expect(reply.attrs.type).toBe('error');
  expect(reply.getChild('error')?.attrs.type).toBe('cancel');
  expect(errorCondition(reply)).toBe('internal-server-error');
  expect(await john.streamError(withinMs)).toBe('internal-server-error');
  const errorAt = john.received.findIndex((el) => el.name === 'stream:error');
  expect(john.received.indexOf(reply)).toBeLessThan(errorAt);
  await john.waitForClose(withinMs);
  expect(Date.now() - started).toBeLessThan(withinMs);
}

test('R4 fetch failure at login closes the session', async () => {
  const timeout = { http_roster_timeout: 1 };
  const failing = await backendWithJohn();
  failing.script = () => ({ status: 500, body: '{"error":"boom"}' });
  await expectFetchFailure(await serve(failing, timeout), 3_000);

  const garbage = await backendWithJohn();
  garbage.script = () => ({ status: 200, body: 'oops' });
  await expectFetchFailure(await serve(garbage, timeout), 3_000);

  const refused = await backendWithJohn();
  await expectFetchFailure(await serve(refused, { ...timeout, http_roster_url: `http://127.0.0.1:${await closedPort()}/contacts/%s` }), 3_000);

  const redirect = await backendWithJohn();
  redirect.script = (request) => (request.url === '/moved' ? { status: 200, body: '{}' } : { status: 302, body: '', headers: { Location: '/moved' } });
  await expectFetchFailure(await serve(redirect, timeout), 3_000);
  expect(redirect.requests.map((r) => r.url)).toEqual(['/contacts/john']);

  const silent = await backendWithJohn();
  silent.script = () => 'hang';
  // The answer comes within the timeout (1 s) plus 2 s.
  await expectFetchFailure(await serve(silent, timeout), 3_000);
  expect(silent.requests).toHaveLength(1);
});

test('the backend Authorization header is sent when configured', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend, { http_roster_authorization_header: 'Bearer backend-key' });
  const john = await connect(server, 'john');
  expect(itemsOf(await getRoster(john)).size).toBe(2);
  expect(backend.requests[0]!.headers.authorization).toBe('Bearer backend-key');
  expect(server.logs.some((line) => JSON.stringify(line).includes('backend-key'))).toBe(false);
});

test('R5 roster set refused', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend);
  const john = await connect(server, 'john');
  const before = itemsOf(await getRoster(john));
  const set = await ask(john, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='x@example.org' name='X'/></query></iq>`);
  expect(set.attrs.type).toBe('error');
  expect(set.getChild('error')?.attrs.type).toBe('cancel');
  expect(errorCondition(set)).toBe('service-unavailable');
  const remove = await ask(john, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='marie@example.com' subscription='remove'/></query></iq>`);
  expect(errorCondition(remove)).toBe('service-unavailable');
  expect(itemsOf(await getRoster(john))).toEqual(before);
  expect(john.received.some((el) => el.name === 'iq' && el.attrs.type === 'set')).toBe(false);
  expect(backend.requests).toHaveLength(1);
});

test('R15 initial presence sent right behind the roster get meets the fetched roster', async () => {
  const backend = await backendWithJohn();
  backend.rosters.set('marie', { 'john@example.com': { name: 'John' } });
  const server = await serve(backend);
  const marie = await connect(server, 'marie', 'home');
  await getRoster(marie);
  marie.send('<presence/>');
  await marie.waitFor(isPresence('marie@example.com/home'));
  // Hold the backend so the presence is certainly sent while the fetch is in flight.
  backend.gate();
  const john = await connect(server, 'john', 'desk');
  john.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq><presence><status>here</status></presence>");
  await backend.waitForRequests(2);
  backend.release();
  const seen = await marie.waitFor(isPresence('john@example.com/desk'));
  expect(seen.getChildText('status')).toBe('here');
  // The probe john's initial presence sent to Marie was answered with her presence.
  await john.waitFor(isPresence('marie@example.com/home'));
  const rosterAt = john.received.findIndex((el) => el.name === 'iq' && el.attrs.id === 'r1');
  expect(rosterAt).toBeGreaterThanOrEqual(0);
});

test('R16 the username is URL-encoded and every %s replaced', async () => {
  const backend = await backendWithJohn();
  backend.rosters.set('a+b', {});
  const server = await serve(backend);
  const ab = await connect(server, 'a+b');
  expect((await getRoster(ab)).attrs.type).toBe('result');
  expect(backend.requests.map((r) => r.url)).toEqual(['/contacts/a%2Bb']);

  const templated = await backendWithJohn();
  templated.script = () => ({ status: 200, body: '{}' });
  const other = await serve(templated, { http_roster_url: templated.url('/c%20x/%s?u=%s') });
  const john = await connect(other, 'john');
  expect((await getRoster(john)).attrs.type).toBe('result');
  expect(templated.requests.map((r) => r.url)).toEqual(['/c%20x/john?u=john']);
});

test('R19 the roster is dropped with the last session', async () => {
  const backend = await backendWithJohn();
  backend.rosters.set('marie', { 'john@example.com': {} });
  const server = await serve(backend);
  const marie = await connect(server, 'marie', 'home');
  await getRoster(marie);
  marie.send('<presence/>');
  const desk = await connect(server, 'john', 'desk');
  const phone = await connect(server, 'john', 'phone');
  await getRoster(desk);
  await getRoster(phone);
  desk.send('<presence/>');
  phone.send('<presence/>');
  await marie.waitFor(isPresence('john@example.com/desk'));
  await marie.waitFor(isPresence('john@example.com/phone'));
  desk.close();
  // Marie hears of each departure: the roster is still there when a session ends.
  await marie.waitFor(isPresence('john@example.com/desk', 'unavailable'));
  expect((await getRoster(phone)).attrs.type).toBe('result');
  expect(backend.requestsFor('/contacts/john')).toHaveLength(1);
  phone.close();
  await marie.waitFor(isPresence('john@example.com/phone', 'unavailable'));
  const again = await connect(server, 'john', 'desk');
  expect(itemsOf(await getRoster(again)).size).toBe(2);
  expect(backend.requestsFor('/contacts/john')).toHaveLength(2);
});
