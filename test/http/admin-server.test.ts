/** http_admin_api server resource: version, uptime and counts that follow what is live. */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { startAdminApi, testToken, type AdminApi } from '../helpers/admin-api.js';

let api: AdminApi;
let alice: TestClient;

beforeAll(async () => {
  api = await startAdminApi();
});
afterAll(async () => {
  await alice?.stop();
  await api?.stop();
});

interface ServerInfo {
  software: string;
  version: string;
  uptimeSeconds: number;
  startedAt: string;
  counts: Record<string, number>;
}

test('counts hosts, accounts, sessions, rooms and occupants as they change', async () => {
  const before = (await api.call('GET', '/server')).json as ServerInfo;
  expect(before).toMatchObject({ software: 'Salon', counts: { hosts: 2, virtualHosts: 1, accounts: 2, sessions: 0, sessionsOnHost: 0, rooms: 0, occupants: 0 } });
  expect(before.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(before.uptimeSeconds).toBeGreaterThanOrEqual(0);
  expect(Date.now() - Date.parse(before.startedAt)).toBeLessThan(60_000);

  expect((await api.call('PUT', '/users/carol', { body: { password: 'pw' } })).status).toBe(201);
  alice = await connectClient({ port: api.server.port, username: 'alice', password: 'alice-secret', resource: 'desk' });
  expect((await api.call('PUT', '/rooms/lobby', { body: {} })).status).toBe(201);
  await alice.send(xml('presence', { to: 'lobby@conference.localhost/Alice' }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
  await alice.waitFor((el: Element) => el.name === 'presence' && el.attrs.from === 'lobby@conference.localhost/Alice');

  const after = (await api.call('GET', '/server')).json as ServerInfo;
  expect(after.counts).toEqual({ hosts: 2, virtualHosts: 1, accounts: 3, sessions: 1, sessionsOnHost: 1, rooms: 1, occupants: 1 });
});

test('needs the server:read scope', async () => {
  const other = testToken('other', ['users:read']);
  const scoped = await startAdminApi({ tokens: [other] });
  try {
    const reply = await scoped.call('GET', '/server');
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ error: { code: 'insufficient-scope', details: { scope: 'server:read' } } });
  } finally {
    await scoped.stop();
  }
});
