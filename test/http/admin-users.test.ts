/**
 * http_admin_api users resource over real HTTP and real XMPP: paged listing, idempotent creation,
 * deletion, password change, sessions listed and ended (as a real @xmpp/client sees it).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { errorCode, startAdminApi, type AdminApi } from '../helpers/admin-api.js';

let api: AdminApi;
const clients: TestClient[] = [];

beforeAll(async () => {
  api = await startAdminApi();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.stop()));
  await api?.stop();
});

async function login(username: string, password: string, resource: string): Promise<TestClient> {
  const client = await connectClient({ port: api.server.port, username, password, resource });
  clients.push(client);
  return client;
}

/** Resolves with the stream error condition the server closes `client`'s stream with. */
function streamErrorOf(client: TestClient): Promise<{ condition: string; text: string | undefined }> {
  return new Promise((resolve) => {
    client.xmpp.on('error', (error: unknown) => {
      // xmpp.js reports a stream error as an Error carrying its condition and text.
      const { condition, text } = error as { condition?: string; text?: string };
      if (condition !== undefined) resolve({ condition, text });
    });
  });
}

test('PUT creates (201), confirms the same state (200), refuses another password (409 user-exists)', async () => {
  const created = await api.call('PUT', '/users/carol', { body: { password: 'carol-pw' } });
  expect(created.status).toBe(201);
  expect(created.json).toEqual({ username: 'carol', jid: 'carol@localhost' });
  expect(created.headers['cache-control']).toBe('no-store');
  const again = await api.call('PUT', '/users/Carol', { body: { password: 'carol-pw' } });
  expect(again.status).toBe(200);
  expect(again.json).toEqual({ username: 'carol', jid: 'carol@localhost' });
  const other = await api.call('PUT', '/users/carol', { body: { password: 'other' } });
  expect(other.status).toBe(409);
  expect(errorCode(other)).toBe('user-exists');
  const client = await login('carol', 'carol-pw', 'desk');
  expect(client.jid).toBe('carol@localhost/desk');
  // Each change is in the log with the name of the token that made it, never the token.
  const audit = api.server.logs.filter((line) => line.msg === 'admin API change' && line.operation === 'createUser');
  expect(audit.map((line) => [line.token, line.status, line.code])).toEqual([['all', 201, undefined], ['all', 200, undefined], ['all', 409, 'user-exists']]);
  expect(JSON.stringify(api.server.logs)).not.toContain(api.token);
});

test('an invalid username is 400 invalid-username; a missing password is 400 invalid-request naming body.password', async () => {
  const invalid = await api.call('PUT', `/users/${encodeURIComponent('a b@c')}`, { body: { password: 'x' } });
  expect(invalid.status).toBe(400);
  expect(errorCode(invalid)).toBe('invalid-username');
  const missing = await api.call('PUT', '/users/dave', { body: {} });
  expect(missing.status).toBe(400);
  expect(errorCode(missing)).toBe('invalid-request');
  const details = (missing.json as { error: { details: { issues: { path: unknown[] }[] } } }).error.details;
  expect(details.issues.map((issue) => issue.path)).toEqual([['body', 'password']]);
});

test('the listing is ordered by username and paged with limit and the next cursor', async () => {
  for (const name of ['u1', 'u2', 'u3']) expect((await api.call('PUT', `/users/${name}`, { body: { password: 'pw' } })).status).toBe(201);
  const names: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const query: string = after === null ? '?limit=2' : `?limit=2&after=${encodeURIComponent(after)}`;
    const page = await api.call('GET', `/users${query}`);
    expect(page.status).toBe(200);
    const body = page.json as { users: { username: string }[]; next: string | null };
    expect(body.users.length).toBeLessThanOrEqual(2);
    names.push(...body.users.map((user) => user.username));
    after = body.next;
    pages += 1;
  } while (after !== null && pages < 10);
  expect(names).toEqual([...names].sort());
  expect(names).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'u1', 'u2', 'u3']));
  expect(new Set(names).size).toBe(names.length);
  expect(pages).toBeGreaterThanOrEqual(3);
  const badLimit = await api.call('GET', '/users?limit=0');
  expect(errorCode(badLimit)).toBe('invalid-request');
});

test('a new password works for the next login and replaces the old one', async () => {
  expect((await api.call('PUT', '/users/u1/password', { body: { password: 'new-pw' } })).status).toBe(204);
  const client = await login('u1', 'new-pw', 'r');
  expect(client.jid).toBe('u1@localhost/r');
  // The account's state is now the new password: confirming it is 200, the old one conflicts.
  expect((await api.call('PUT', '/users/u1', { body: { password: 'new-pw' } })).status).toBe(200);
  expect(errorCode(await api.call('PUT', '/users/u1', { body: { password: 'pw' } }))).toBe('user-exists');
  const unknown = await api.call('PUT', '/users/nobody/password', { body: { password: 'x' } });
  expect(unknown.status).toBe(404);
  expect(errorCode(unknown)).toBe('user-not-found');
});

test('sessions are listed with their full JID and start; ending one closes its stream with policy-violation', async () => {
  const before = Date.now();
  const phone = await login('bob', 'bob-secret', 'phone');
  const laptop = await login('bob', 'bob-secret', 'laptop');
  const listed = await api.call('GET', '/users/bob/sessions');
  expect(listed.status).toBe(200);
  const sessions = (listed.json as { sessions: { jid: string; since: string | null; secure: boolean }[] }).sessions;
  expect(sessions.map((session) => session.jid).sort()).toEqual(['bob@localhost/laptop', 'bob@localhost/phone']);
  for (const session of sessions) {
    expect(Date.parse(session.since!)).toBeGreaterThanOrEqual(before - 1000);
    expect(session.secure).toBe(true);
  }
  const ended = streamErrorOf(phone);
  expect((await api.call('DELETE', '/users/bob/sessions/phone')).status).toBe(204);
  expect(await ended).toEqual({ condition: 'policy-violation', text: 'Session ended by an administrator' });
  const after = (await api.call('GET', '/users/bob/sessions')).json as { sessions: { jid: string }[] };
  expect(after.sessions.map((session) => session.jid)).toEqual(['bob@localhost/laptop']);
  const gone = await api.call('DELETE', '/users/bob/sessions/phone');
  expect(gone.status).toBe(404);
  expect(errorCode(gone)).toBe('session-not-found');
  // The other session is untouched: it still gets answers.
  const pong = await laptop.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  expect(pong.attrs.type).toBe('result');
});

test('DELETE removes the account (204, then 404) and ends its sessions with not-authorized', async () => {
  const session = await login('u2', 'pw', 'r');
  const ended = streamErrorOf(session);
  expect((await api.call('DELETE', '/users/u2')).status).toBe(204);
  expect((await ended).condition).toBe('not-authorized');
  const again = await api.call('DELETE', '/users/u2');
  expect(again.status).toBe(404);
  expect(errorCode(again)).toBe('user-not-found');
  const listed = (await api.call('GET', '/users?limit=1000')).json as { users: { username: string }[] };
  expect(listed.users.map((user) => user.username)).not.toContain('u2');
});
