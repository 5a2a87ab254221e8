/**
 * http_roster_admin, the refresh API (spec §3.7, §3.6.3, scenarios R6 – R12, R17): the backend
 * says which rosters changed, the server fetches them again and tells the online clients.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { send, sendHeaderLines } from '../helpers/http-request.js';
import type { RawClient } from '../helpers/raw-client.js';
import { RosterBackend } from '../helpers/roster-admin-backend.js';
import {
  JOHN_ROSTER, getRefresh, jsonOf, loginAs, postRefresh, receivedSince, startRosterAdminServer, syncWith,
} from '../helpers/roster-admin-xmpp.js';
import { getRoster, isPresence, isPush, itemsOf } from '../helpers/roster-raw.js';
import type { TestServer } from '../helpers/test-server.js';

let backend: RosterBackend;
let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  backend = await RosterBackend.start();
  backend.rosters.set('john', JOHN_ROSTER);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
  await backend.close();
});

async function serve(host: Record<string, unknown> = {}): Promise<void> {
  server = await startRosterAdminServer(backend, { host: { http_roster_timeout: 1, ...host } });
}

/** Logs in, fetches the roster and (unless told otherwise) sends initial presence. */
async function online(user: string, resource = 'res', available = true): Promise<RawClient> {
  const client = await loginAs(server, user, resource);
  clients.push(client);
  await getRoster(client);
  if (available) {
    client.send('<presence/>');
    await client.waitFor(isPresence(`${user}@example.com/${resource}`));
  }
  return client;
}

function pushes(client: RawClient, from: number): Element[] {
  return receivedSince(client, from).filter((el) => el.name === 'iq' && el.attrs.type === 'set');
}

test('R6 refresh adds and removes contacts', async () => {
  backend.rosters.set('new', { 'john@example.com': {} });
  backend.rosters.set('michael', {});
  await serve();
  const fresh = await online('new', 'n');
  const michael = await online('michael', 'm');
  const john = await online('john', 'desk');
  const marks = { john: john.received.length, fresh: fresh.received.length, michael: michael.received.length };
  backend.rosters.set('john', { 'marie@example.com': JOHN_ROSTER['marie@example.com'], 'new@example.com': { name: 'New' } });

  const reply = await postRefresh(server, '["john"]');
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json');
  expect(jsonOf(reply)).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 0 });

  await syncWith(john);
  const received = pushes(john, marks.john);
  expect(received).toHaveLength(2);
  const added = received.find(isPush('new@example.com', 'both'));
  const removed = received.find(isPush('michael@example.com', 'remove'));
  expect(itemsOf(added!).get('new@example.com')).toEqual({ subscription: 'both', ask: undefined, name: 'New', groups: [] });
  expect(added?.attrs.to).toBe('john@example.com/desk');
  expect(removed?.attrs.to).toBe('john@example.com/desk');
  // The new contact gets john's presence; john's probe brings back the contact's.
  await fresh.waitFor(isPresence('john@example.com/desk'), 3000, marks.fresh);
  await john.waitFor(isPresence('new@example.com/n'), 3000, marks.john);
  await michael.waitFor(isPresence('john@example.com/desk', 'unavailable'), 3000, marks.michael);
});

test('R7 refresh pushes a renamed contact', async () => {
  await serve();
  const john = await online('john', 'desk', false);
  // A session that never asked for the roster gets no pushes [COMPAT].
  const phone = await loginAs(server, 'john', 'phone');
  clients.push(phone);
  const mark = john.received.length;
  const phoneMark = phone.received.length;
  backend.rosters.set('john', { ...JOHN_ROSTER, 'marie@example.com': { name: 'Marie C.', groups: { Friends: true } } });
  expect(jsonOf(await postRefresh(server, '["john"]'))).toMatchObject({ status: 'ok', updated: 1, errors: 0 });
  await syncWith(john);
  await syncWith(phone);
  expect(pushes(phone, phoneMark)).toHaveLength(0);
  const received = pushes(john, mark);
  expect(received).toHaveLength(1);
  expect(itemsOf(received[0]!).get('marie@example.com')).toEqual({ subscription: 'both', ask: undefined, name: 'Marie C.', groups: ['Friends'] });
  expect(itemsOf(await getRoster(john)).get('marie@example.com')?.name).toBe('Marie C.');
});

test('R8 offline users count as updated', async () => {
  await serve();
  await online('john', 'desk', false);
  const reply = await postRefresh(server, '["nobody", "john"]');
  expect(jsonOf(reply)).toEqual({ status: 'ok', message: 'roster update complete', updated: 2, errors: 0 });
  expect(backend.requestsFor('/contacts/john')).toHaveLength(2);
  expect(backend.requestsFor('/contacts/nobody')).toHaveLength(0);
});

test('R9 a failing backend during refresh', async () => {
  await serve();
  const john = await online('john', 'desk', false);
  const mark = john.received.length;
  backend.script = () => ({ status: 500, body: '{}' });
  expect(jsonOf(await postRefresh(server, '["john"]'))).toEqual({ status: 'error', message: 'roster update failed', updated: 0, errors: 1 });
  expect(jsonOf(await postRefresh(server, '["john", "nobody"]'))).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 1 });
  await syncWith(john);
  expect(pushes(john, mark)).toHaveLength(0);
  const requests = backend.requests.length;
  expect(itemsOf(await getRoster(john)).size).toBe(2);
  expect(backend.requests).toHaveLength(requests);
  // A closed port: the answer still comes, the entry counted as an error.
  await backend.close();
  const started = Date.now();
  expect(jsonOf(await postRefresh(server, '["john"]'))).toEqual({ status: 'error', message: 'roster update failed', updated: 0, errors: 1 });
  expect(Date.now() - started).toBeLessThan(1_000 + 2_000);
  backend = await RosterBackend.start();
});

test('R10 bad bodies', async () => {
  await serve();
  const bad = { status: 'error', message: 'Body must be a JSON array of usernames' };
  for (const body of ['', 'not json', 'null', 'false', '{"a": 1}', '"john"', '[1, "john"]']) {
    const reply = await postRefresh(server, body);
    expect([body, reply.status, reply.headers['content-type']]).toEqual([body, 400, 'application/json']);
    expect(jsonOf(reply)).toEqual(bad);
  }
  const empty = await postRefresh(server, '[]');
  expect(empty.status).toBe(200);
  expect(jsonOf(empty)).toEqual({ status: 'ok', message: 'roster update complete', updated: 0, errors: 0 });
  expect(backend.requests).toHaveLength(0);
});

test('R11 usernames are normalised like local parts', async () => {
  await serve();
  const john = await online('john', 'desk', false);
  const mark = john.received.length;
  backend.rosters.set('john', { 'marie@example.com': { name: 'Marie' } });
  expect(jsonOf(await postRefresh(server, '["JOHN"]'))).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 0 });
  await john.waitFor(isPush('michael@example.com', 'remove'), 3000, mark);
  const count = backend.requests.length;
  expect(jsonOf(await postRefresh(server, '["john@example.com"]'))).toEqual({ status: 'error', message: 'roster update failed', updated: 0, errors: 1 });
  expect(backend.requests).toHaveLength(count);
});

test('entries that are no text (a NUL, a lone surrogate, bytes that are not UTF-8) are invalid usernames', async () => {
  await serve();
  const john = await online('john', 'desk', false);
  const count = backend.requests.length;
  const failed = { status: 'error', message: 'roster update failed', updated: 0, errors: 1 };
  // JSON escapes for NUL, a lone high and a lone low surrogate, and U+FFFD itself.
  for (const entry of ['"jo\\u0000hn"', '"\\ud800"', '"jo\\udc00hn"', '"jo\\ufffdhn"']) {
    const reply = await postRefresh(server, `[${entry}]`);
    expect([entry, reply.status, jsonOf(reply)]).toEqual([entry, 200, failed]);
  }
  // The bytes `["jo<FF>hn"]`: JSON text must be UTF-8 (RFC 8259 §8.1); the entry is no username.
  const bytes = Buffer.concat([Buffer.from('["jo'), Buffer.from([0xff]), Buffer.from('hn"]')]);
  const raw = await send(`${server.httpUrl!}/roster_admin/refresh`, { method: 'POST', host: 'example.com', body: bytes });
  expect([raw.status, jsonOf(raw)]).toEqual([200, failed]);
  const mixed = await postRefresh(server, '["john", "\\ud800"]');
  expect(jsonOf(mixed)).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 1 });
  // Only the valid entry reached the backend.
  expect(backend.requests.length).toBe(count + 1);
  const invalid = { status: 'error', message: 'Invalid username' };
  for (const rest of ['jo%00hn', 'jo%EF%BF%BDhn']) {
    const reply = await getRefresh(server, rest);
    expect([rest, reply.status, jsonOf(reply)]).toEqual([rest, 400, invalid]);
  }
  expect(john.received.length).toBeGreaterThan(0);
});

test('R12 single-user refresh', async () => {
  await serve();
  const john = await online('john', 'desk', false);
  const mark = john.received.length;
  backend.rosters.set('john', { 'michael@example.com': { name: 'Michael' } });
  const done = await getRefresh(server, 'john');
  expect(done.status).toBe(200);
  expect(jsonOf(done)).toEqual({ status: 'ok', message: 'roster update complete' });
  await john.waitFor(isPush('marie@example.com', 'remove'), 3000, mark);
  backend.script = () => ({ status: 503, body: '' });
  expect(jsonOf(await getRefresh(server, 'john'))).toEqual({ status: 'error', message: 'roster update failed' });
  expect(jsonOf(await getRefresh(server, 'nobody'))).toEqual({ status: 'ok', message: 'roster update complete' });
  const empty = await getRefresh(server, '');
  expect(empty.status).toBe(400);
  expect(jsonOf(empty)).toEqual({ status: 'error', message: 'Invalid username' });
  expect((await getRefresh(server, 'john%40example.com')).status).toBe(400);
});

test('R17 optional authorization of the refresh endpoints', async () => {
  await serve({ http_roster_admin_authorization_header: 'Bearer k' });
  const refused = { status: 'error', message: 'Authorization failed' };
  const missing = await postRefresh(server, '["john"]');
  expect(missing.status).toBe(401);
  expect(jsonOf(missing)).toEqual(refused);
  const wrong = await postRefresh(server, '["john"]', { authorization: 'Bearer x' });
  expect(wrong.status).toBe(401);
  expect(jsonOf(wrong)).toEqual(refused);
  expect((await getRefresh(server, 'john')).status).toBe(401);
  const right = await postRefresh(server, '["john"]', { authorization: 'Bearer k' });
  expect(right.status).toBe(200);
  expect(jsonOf(right)).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 0 });
  expect((await getRefresh(server, 'john', { authorization: 'Bearer k' })).status).toBe(200);
  // Two Authorization headers, the right one among them: refused (Node would keep only the first).
  for (const pair of [['Bearer k', 'Bearer x'], ['Bearer x', 'Bearer k'], ['Bearer k', 'Bearer k']]) {
    const lines = ['Host', 'example.com', 'Authorization', pair[0]!, 'Authorization', pair[1]!];
    const post = await sendHeaderLines(`${server.httpUrl!}/roster_admin/refresh`, 'POST', lines, '["john"]');
    expect([post.status, jsonOf(post)]).toEqual([401, refused]);
    const get = await sendHeaderLines(`${server.httpUrl!}/roster_admin/refresh/john`, 'GET', lines);
    expect([get.status, jsonOf(get)]).toEqual([401, refused]);
  }
});

test('framework errors on the refresh paths are JSON in the plugin shape', async () => {
  await serve();
  const tooLarge = await postRefresh(server, `[${'"a",'.repeat(300_000)}"a"]`);
  expect(tooLarge.status).toBe(413);
  expect(jsonOf(tooLarge)).toEqual({ status: 'error', message: 'Request body too large' });
  const getOnPost = await send(`${server.httpUrl!}/roster_admin/refresh`, { host: 'example.com' });
  expect(getOnPost.status).toBe(405);
  expect(getOnPost.headers.allow).toContain('POST');
  expect(getOnPost.headers['content-type']).toBe('application/json');
  const postOnGet = await send(`${server.httpUrl!}/roster_admin/refresh/john`, { method: 'POST', host: 'example.com', body: '[]' });
  expect(postOnGet.status).toBe(405);
  expect(postOnGet.headers.allow).toContain('GET');
  const unknown = await send(`${server.httpUrl!}/roster_admin/refresh`, { method: 'POST', host: 'localhost', body: '[]' });
  expect(unknown.status).toBe(404);
  expect(jsonOf(unknown)).toEqual({ error: 'Unknown host: localhost' });
  // An address as Host: web clients reach the first VirtualHost (example.com) so, admin routes do not.
  for (const method of ['POST', 'OPTIONS']) {
    const address = await send(`${server.httpUrl!}/roster_admin/refresh`, { method, host: '127.0.0.1', body: '[]', headers: { Origin: 'http://127.0.0.1:8080' } });
    expect([method, address.status, jsonOf(address)]).toEqual([method, 404, { error: 'Unknown host: 127.0.0.1' }]);
    expect(Object.keys(address.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  }
});
