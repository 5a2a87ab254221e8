/**
 * http_roster_admin and block_subscriptions: subscription traffic blocked in both directions
 * (spec §3.6.4, scenarios R13, R14), probes, coalesced fetches (§3.5), load-time rules (§3.8,
 * R18) and the README's old configuration (§3.2, R20).
 */
import { afterEach, expect, test } from '@jest/globals';
import { VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { RosterBackend } from '../helpers/roster-admin-backend.js';
import {
  DOMAIN, JOHN_ROSTER, OTHER_DOMAIN, jsonOf, loginAs, postRefresh, receivedSince, startRosterAdminServer, syncWith,
  type RosterAdminServerOptions,
} from '../helpers/roster-admin-xmpp.js';
import { ask, errorCondition, getRoster, isPresence, isPush, itemsOf } from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

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

async function serve(backend: RosterBackend, options: RosterAdminServerOptions = {}): Promise<TestServer> {
  const server = await startRosterAdminServer(backend, options);
  servers.push(server);
  return server;
}

async function connect(server: TestServer, user: string, resource = 'res', available = true): Promise<RawClient> {
  const client = await loginAs(server, user, resource);
  clients.push(client);
  if (available) {
    client.send('<presence/>');
    await client.waitFor(isPresence(user.includes('@') ? `${user}/${resource}` : `${user}@${DOMAIN}/${resource}`));
  }
  return client;
}

/**
 * Both clients have received everything sent to them so far (each stream handles its input in
 * order, and the pings go last); returns what each received since its mark, ping answers aside.
 */
async function settle(john: RawClient, johnMark: number, other: RawClient, otherMark: number): Promise<[string[], string[]]> {
  await syncWith(john);
  await syncWith(other, OTHER_DOMAIN);
  await syncWith(john);
  const stanzas = (client: RawClient, mark: number): string[] => receivedSince(client, mark)
    .filter((el) => !(el.name === 'iq' && el.attrs.type === 'result'))
    .map(String);
  return [stanzas(john, johnMark), stanzas(other, otherMark)];
}

test('R13 subscription stanzas to and from bare JIDs are dropped', async () => {
  const server = await serve(await backendWithJohn());
  const john = await connect(server, 'john', 'desk', false);
  const before = itemsOf(await getRoster(john));
  john.send('<presence/>');
  const x = await connect(server, `x@${OTHER_DOMAIN}`, 'res');
  const marks = [john.received.length, x.received.length] as const;
  for (const type of ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed', 'error']) john.send(`<presence type='${type}' to='x@${OTHER_DOMAIN}'/>`);
  x.send(`<presence type='subscribe' to='john@${DOMAIN}'/>`);
  x.send(`<presence type='unsubscribed' to='john@${DOMAIN}'/>`);
  const [johnGot, xGot] = await settle(john, marks[0], x, marks[1]);
  expect(johnGot).toEqual([]);
  expect(xGot).toEqual([]);
  expect(itemsOf(await getRoster(john))).toEqual(before);
});

test('R14 subscription stanzas to full JIDs and domains are dropped too', async () => {
  // example.org runs no presence module, so what x sends reaches example.com exactly as addressed.
  const server = await serve(await backendWithJohn(), { otherHost: { modules_disabled: ['presence'] } });
  const john = await connect(server, 'john', 'desk', false);
  const before = itemsOf(await getRoster(john));
  john.send('<presence/>');
  const marie = await connect(server, 'marie', 'home', false);
  // Without the presence module nobody echoes x's own presence back.
  const x = await connect(server, `x@${OTHER_DOMAIN}`, 'res', false);
  x.send('<presence/>');
  const marks = [john.received.length, x.received.length, marie.received.length] as const;
  john.send(`<presence type='subscribe' to='x@${OTHER_DOMAIN}/res'/>`);
  john.send(`<presence type='subscribed' to='${OTHER_DOMAIN}'/>`);
  x.send(`<presence type='unsubscribed' to='john@${DOMAIN}/desk'/>`);
  x.send(`<presence type='subscribe' to='${DOMAIN}'/>`);
  marie.send(`<presence type='unsubscribed' to='john@${DOMAIN}/desk'/>`);
  const [johnGot, xGot] = await settle(john, marks[0], x, marks[1]);
  await syncWith(marie);
  expect(johnGot).toEqual([]);
  expect(xGot).toEqual([]);
  expect(receivedSince(marie, marks[2]).filter((el) => el.name !== 'iq')).toEqual([]);
  const after = itemsOf(await getRoster(john));
  expect(after).toEqual(before);
  expect(after.get('marie@example.com')?.subscription).toBe('both');
  // Error presence to a full JID still flows.
  x.send(`<presence type='error' to='john@${DOMAIN}/desk'><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`);
  await john.waitFor((el) => el.name === 'presence' && el.attrs.type === 'error' && el.attrs.from === `x@${OTHER_DOMAIN}/res`);
});

test('probes: a contact\'s is answered, an offline user\'s and a stranger\'s get nothing', async () => {
  const backend = await backendWithJohn();
  backend.rosters.set('john', { [`x@${OTHER_DOMAIN}`]: {} });
  const server = await serve(backend);
  const x = await connect(server, `x@${OTHER_DOMAIN}`, 'res');
  const mark = x.received.length;
  x.send(`<presence type='probe' to='john@${DOMAIN}'/>`);
  await syncWith(x, OTHER_DOMAIN);
  expect(receivedSince(x, mark).filter((el) => el.name === 'presence')).toEqual([]);
  const john = await connect(server, 'john', 'desk', false);
  await getRoster(john);
  john.send('<presence/>');
  await x.waitFor(isPresence(`john@${DOMAIN}/desk`), 3000, mark);
  const stranger = await connect(server, 'michael', 'm');
  const strangerMark = stranger.received.length;
  stranger.send(`<presence type='probe' to='john@${DOMAIN}'/>`);
  await syncWith(john);
  await syncWith(stranger);
  expect(receivedSince(stranger, strangerMark).filter((el) => el.name === 'presence')).toEqual([]);
});

test('fetches are coalesced, and a refresh during a fetch fetches once more', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend);
  backend.gate();
  const desk = await connect(server, 'john', 'desk', false);
  const phone = await connect(server, 'john', 'phone', false);
  desk.send("<iq type='get' id='d1'><query xmlns='jabber:iq:roster'/></iq>");
  phone.send("<iq type='get' id='p1'><query xmlns='jabber:iq:roster'/></iq>");
  await backend.waitForRequests(1);
  const refreshes = [postRefresh(server, '["john"]'), postRefresh(server, '["john", "john"]')];
  await waitForLogs(server, (line) => line.msg === 'roster refresh waits for the fetch in flight', 2);
  // The held answer is the old roster; the fetch the refreshes queued must see the new one.
  backend.rosters.set('john', { 'marie@example.com': { name: 'Marie' } });
  expect(backend.requests).toHaveLength(1);
  backend.release();
  const [first, second] = await Promise.all(refreshes);
  expect(jsonOf(first!)).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 0 });
  expect(jsonOf(second!)).toEqual({ status: 'ok', message: 'roster update complete', updated: 2, errors: 0 });
  expect(backend.requestsFor('/contacts/john')).toHaveLength(2);
  const deskRoster = await desk.waitFor((el) => el.attrs.id === 'd1');
  expect(itemsOf(deskRoster).size).toBe(2);
  await desk.waitFor(isPush('michael@example.com', 'remove'));
  await phone.waitFor(isPush('michael@example.com', 'remove'));
  expect([...itemsOf(await getRoster(phone)).keys()]).toEqual(['marie@example.com']);
  expect(backend.requests).toHaveLength(2);
});

/** Resolves once `count` log lines match (the server logs synchronously as it works). */
async function waitForLogs(server: TestServer, match: (line: Record<string, unknown>) => boolean, count: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (server.logs.filter(match).length < count) {
    if (Date.now() > deadline) throw new Error('expected log lines did not appear');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('block_subscriptions on its own keeps the built-in roster but blocks subscriptions', async () => {
  const server = await startTestServer({
    hosts: [VirtualHost('localhost', { modules_enabled: ['block_subscriptions'] })],
    users: { 'alice@localhost': 'a-pw', 'bob@localhost': 'b-pw' },
  });
  servers.push(server);
  const alice = await rawLogin(server.port, 'alice@localhost', 'a-pw', 'a');
  const bob = await rawLogin(server.port, 'bob@localhost', 'b-pw', 'b');
  clients.push(alice, bob);
  bob.send('<presence/>');
  await bob.waitFor(isPresence('bob@localhost/b'));
  const mark = bob.received.length;
  alice.send("<presence type='subscribe' to='bob@localhost'/>");
  alice.send("<presence type='subscribe' to='bob@localhost/b'/>");
  alice.send("<presence to='bob@localhost/b'><status>directed</status></presence>");
  const directed = await bob.waitFor(isPresence('alice@localhost/a'), 3000, mark);
  expect(directed.getChildText('status')).toBe('directed');
  await syncWith(alice, 'localhost');
  await syncWith(bob, 'localhost');
  expect(receivedSince(bob, mark).filter((el) => el.name === 'presence')).toEqual([directed]);
  const roster = await getRoster(alice);
  expect(itemsOf(roster).size).toBe(0);
  expect(roster.getChild('query', 'jabber:iq:roster')?.attrs.ver).toBeDefined();
});

test('R18 load-time rules', async () => {
  const backend = await backendWithJohn();
  await expect(serve(backend, { host: { http_roster_url: 'not a url' } })).rejects.toThrow(/http_roster_url/);
  await expect(serve(backend, { host: { http_roster_url: 'ftp://127.0.0.1/%s' } })).rejects.toThrow(/http_roster_url/);
  await expect(serve(backend, { host: { http_roster_url: 42 } })).rejects.toThrow(/http_roster_url/);
  await expect(serve(backend, { host: { http_roster_authorization_header: 'Bearer a\r\nX-Evil: 1' } })).rejects.toThrow(/http_roster_authorization_header/);
  await expect(serve(backend, { host: { http_roster_admin_authorization_header: '' } })).rejects.toThrow(/http_roster_admin_authorization_header/);
  const server = await serve(backend, { host: { http_roster_url: 'http://127.0.0.1/contacts' } });
  const warnings = server.logs.filter((line) => line.level === 40 && line.module === 'http_roster_admin').map((line) => String(line.msg));
  expect(warnings).toEqual([expect.stringContaining('no %s')]);
  const infos = server.logs.filter((line) => line.level === 30 && line.module === 'http_roster_admin').map((line) => String(line.msg));
  expect(infos).toEqual([expect.stringContaining('built-in roster module')]);
});

test('R20 the README configuration loads and behaves', async () => {
  const backend = await backendWithJohn();
  const server = await serve(backend, {
    hosts: [
      VirtualHost(DOMAIN, {
        modules_enabled: ['http_roster_admin', 'block_subscriptions', 'storage_memory', 'http_files'],
        modules_disabled: ['roster'],
        storage: { roster: 'memory' },
        http_roster_url: backend.url(),
      }),
      VirtualHost(OTHER_DOMAIN),
    ],
  });
  expect(server.logs.some((line) => line.level === 30 && line.module === 'storage_memory')).toBe(true);
  expect(server.logs.some((line) => line.level === 30 && line.module === 'http_files')).toBe(true);
  const john = await connect(server, 'john', 'desk', false);
  expect(itemsOf(await getRoster(john)).get('marie@example.com')).toEqual({ subscription: 'both', ask: undefined, name: 'Marie', groups: ['Friends'] });
  const set = await ask(john, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='x@example.org'/></query></iq>`);
  expect(errorCondition(set)).toBe('service-unavailable');
  john.send('<presence/>');
  const x = await connect(server, `x@${OTHER_DOMAIN}`, 'res');
  const marks = [john.received.length, x.received.length] as const;
  john.send(`<presence type='subscribe' to='x@${OTHER_DOMAIN}'/>`);
  backend.rosters.set('john', { 'marie@example.com': JOHN_ROSTER['marie@example.com'] });
  expect(jsonOf(await postRefresh(server, '["john"]'))).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 0 });
  const [johnGot, xGot] = await settle(john, marks[0], x, marks[1]);
  expect(xGot).toEqual([]);
  expect(johnGot).toHaveLength(1);
  expect(johnGot[0]).toContain('subscription="remove"');
});
