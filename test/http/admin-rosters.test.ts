/**
 * http_admin_api rosters resource: read and replace a user's roster, seen by a real @xmpp/client
 * session as roster pushes (RFC 6121 §2.1.6); a host whose rosters belong to http_roster_admin
 * answers 409 roster-externally-managed.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { VirtualHost } from '../../salon.js';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { ADMIN_SCOPE_LIST, errorCode, startAdminApi, testToken, tokenEntry, type AdminApi } from '../helpers/admin-api.js';

const ROSTER = 'jabber:iq:roster';
let api: AdminApi;
let alice: TestClient;
const ext = testToken('ext', ADMIN_SCOPE_LIST);

beforeAll(async () => {
  api = await startAdminApi({
    extraHosts: [VirtualHost('ext.localhost', {
      modules_enabled: ['http_roster_admin', 'http_admin_api'], http_roster_url: 'http://127.0.0.1:9/roster/%s',
      http_admin_api_tokens: [tokenEntry(ext)],
    })],
    users: { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'erin@ext.localhost': 'erin-secret' },
  });
  alice = await connectClient({ port: api.server.port, username: 'alice', password: 'alice-secret', resource: 'desk' });
  // RFC 6121 §2.1.6: pushes go to sessions that requested the roster.
  await alice.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER })));
});
afterAll(async () => {
  await alice?.stop();
  await api?.stop();
});

function pushes(): Element[] {
  return alice.received.filter((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query', ROSTER) !== undefined);
}

function pushedItem(push: Element): Record<string, unknown> {
  const item = push.getChild('query', ROSTER)!.getChild('item')!;
  return { ...item.attrs, groups: item.getChildren('group').map((group) => group.text()) };
}

async function waitForPushes(count: number): Promise<Element[]> {
  await alice.waitFor(() => pushes().length >= count, 3000);
  return pushes();
}

test('PUT replaces the roster; each new item reaches the online client as a push; GET reads it back', async () => {
  const reply = await api.call('PUT', '/users/alice/roster', {
    body: { items: [{ jid: 'Bob@localhost', name: 'Bob', groups: ['Friends'], subscription: 'both' }, { jid: 'carol@example.org' }] },
  });
  expect(reply.status).toBe(200);
  expect(reply.json).toEqual({
    version: 1, changed: 2,
    items: [{ jid: 'bob@localhost', name: 'Bob', groups: ['Friends'], subscription: 'both' }, { jid: 'carol@example.org', groups: [], subscription: 'none' }],
  });
  const seen = await waitForPushes(2);
  expect(seen.map(pushedItem)).toEqual([
    { jid: 'bob@localhost', name: 'Bob', subscription: 'both', groups: ['Friends'] },
    { jid: 'carol@example.org', subscription: 'none', groups: [] },
  ]);
  expect(seen.map((push) => push.getChild('query', ROSTER)!.attrs.ver)).toEqual(['1', '1']);
  const read = await api.call('GET', '/users/alice/roster');
  expect(read.status).toBe(200);
  expect((read.json as { items: unknown[] }).items).toEqual((reply.json as { items: unknown[] }).items);
  // What the client's own roster get says too.
  const result = (await alice.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER })))).getChild('query', ROSTER)!;
  expect(result.getChildren('item').map((item: Element) => item.attrs.jid).sort()).toEqual(['bob@localhost', 'carol@example.org']);
});

test('the same PUT again changes nothing and pushes nothing; a removal is pushed as subscription="remove"', async () => {
  const before = pushes().length;
  const same = await api.call('PUT', '/users/alice/roster', {
    body: { items: [{ jid: 'bob@localhost', name: 'Bob', groups: ['Friends'], subscription: 'both' }, { jid: 'carol@example.org' }] },
  });
  expect(same.status).toBe(200);
  expect(same.json).toMatchObject({ version: 1, changed: 0 });
  const removal = await api.call('PUT', '/users/alice/roster', {
    body: { items: [{ jid: 'bob@localhost', name: 'Bob', groups: ['Friends'], subscription: 'both' }] },
  });
  expect(removal.json).toMatchObject({ version: 2, changed: 1 });
  // Pushes keep their order on the stream: the one after `before` is the removal, so the repeat pushed nothing.
  const seen = await waitForPushes(before + 1);
  expect(seen.slice(before).map(pushedItem)).toEqual([{ jid: 'carol@example.org', subscription: 'remove', groups: [] }]);
});

test('bad items: 400 invalid-jid with the index, duplicate JIDs, unknown members named by path', async () => {
  const invalid = await api.call('PUT', '/users/alice/roster', { body: { items: [{ jid: 'ok@localhost' }, { jid: 'user@host/resource' }] } });
  expect(invalid.status).toBe(400);
  expect(invalid.json).toMatchObject({ error: { code: 'invalid-jid', details: { index: 1 } } });
  const duplicate = await api.call('PUT', '/users/alice/roster', { body: { items: [{ jid: 'x@localhost' }, { jid: 'X@localhost' }] } });
  expect(errorCode(duplicate)).toBe('invalid-request');
  const unknown = await api.call('PUT', '/users/alice/roster', { body: { items: [{ jid: 'x@localhost', subscription: 'maybe' }] } });
  expect(errorCode(unknown)).toBe('invalid-request');
  expect((unknown.json as { error: { details: { issues: { path: unknown[] }[] } } }).error.details.issues[0]!.path).toEqual(['body', 'items', 0, 'subscription']);
  const nobody = await api.call('GET', '/users/nobody/roster');
  expect(nobody.status).toBe(404);
  expect(errorCode(nobody)).toBe('user-not-found');
});

test('on a host whose rosters belong to http_roster_admin, read and replace answer 409 roster-externally-managed', async () => {
  for (const [method, body] of [['GET', undefined], ['PUT', { items: [] }]] as const) {
    const reply = await api.call(method, '/users/erin/roster', { host: 'ext.localhost', token: ext.token, ...(body === undefined ? {} : { body }) });
    expect(reply.status).toBe(409);
    expect(errorCode(reply)).toBe('roster-externally-managed');
  }
});
