/**
 * http_admin_api listSessions says how each session is connected: its transport (the metrics'
 * label values) and the client's address, for real clients over TCP with STARTTLS, Direct TLS,
 * WebSocket behind a trusted proxy (X-Forwarded-For) and BOSH; a session resumed (XEP-0198) on
 * another transport reports the new stream's.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startAdminApi, type AdminApi } from '../helpers/admin-api.js';
import { boshLogin } from '../helpers/bosh-client.js';
import type { RawClient } from '../helpers/raw-client.js';
import { smLogin, SM } from '../helpers/sm-raw.js';
import { waitForLog } from '../helpers/wait-for-log.js';
import { WsClient } from '../helpers/ws-client.js';
import { connectClient, type TestClient } from '../helpers/xmpp-client.js';

interface ListedSession {
  jid: string;
  resource: string;
  secure: boolean;
  transport: string;
  clientAddress: string;
}

let api: AdminApi;
const xmppClients: TestClient[] = [];
const rawClients: RawClient[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  api = await startAdminApi();
});
afterAll(async () => {
  await Promise.all(xmppClients.map((client) => client.stop()));
  for (const client of rawClients) client.close();
  for (const client of wsClients) client.stop();
  await api?.stop();
});

function wsUrl(): string {
  return `${api.httpUrl.replace('http:', 'ws:')}/xmpp-websocket`;
}

async function listed(username: string): Promise<Map<string, ListedSession>> {
  const reply = await api.call('GET', `/users/${username}/sessions`);
  expect(reply.status).toBe(200);
  const { sessions } = reply.json as { sessions: ListedSession[] };
  return new Map(sessions.map((session) => [session.resource, session]));
}

test('each transport reports its own name and the client address, the proxy-forwarded one for WebSocket', async () => {
  xmppClients.push(await connectClient({ port: api.server.port, username: 'alice', password: 'alice-secret', resource: 'starttls' }));
  xmppClients.push(await connectClient({ port: api.server.directTlsPort, scheme: 'xmpps', username: 'alice', password: 'alice-secret', resource: 'direct' }));
  // The HTTP peer is loopback, a trusted proxy by default (`trusted_proxies`): the forwarded address counts.
  const ws = await wsLoginForwarded('alice', 'web', '203.0.113.7');
  wsClients.push(ws);
  await boshLogin(`${api.httpUrl}/http-bind`, 'alice@localhost', 'alice-secret', 'bosh');

  const sessions = await listed('alice');
  expect([...sessions.keys()].sort()).toEqual(['bosh', 'direct', 'starttls', 'web']);
  expect(sessions.get('starttls')).toMatchObject({ transport: 'tcp', secure: true, clientAddress: '127.0.0.1' });
  expect(sessions.get('direct')).toMatchObject({ transport: 'direct_tls', secure: true, clientAddress: '127.0.0.1' });
  expect(sessions.get('web')).toMatchObject({ transport: 'websocket', clientAddress: '203.0.113.7' });
  // Plain HTTP on loopback (`secure_interfaces`) counts as secure, as for WebSocket.
  expect(sessions.get('bosh')).toMatchObject({ transport: 'bosh', clientAddress: '127.0.0.1' });
});

test('a hibernated session keeps its last stream\'s values; resumed over WebSocket it reports the new stream\'s', async () => {
  const { client, id } = await smLogin(api.server.port, 'bob', 'phone');
  rawClients.push(client);
  const bound = await listed('bob');
  expect(bound.get('phone')).toMatchObject({ transport: 'tcp', clientAddress: '127.0.0.1' });
  client.socket.destroy();
  // Cut: the session hibernates and is still listed, as it was last connected.
  await waitForLog(api.server, (line) => line.msg === 'hibernating', 3000);
  const hibernated = await listed('bob');
  expect(hibernated.get('phone')).toMatchObject({ transport: 'tcp', clientAddress: '127.0.0.1' });

  const ws = await wsAuthenticateForwarded('bob', '198.51.100.9');
  wsClients.push(ws);
  const seen = ws.received.length;
  ws.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
  const answer = await ws.waitFor((el) => el.attrs.xmlns === SM && (el.name === 'resumed' || el.name === 'failed'), 3000, seen);
  expect(answer.name).toBe('resumed');
  const resumed = await listed('bob');
  expect(resumed.get('phone')).toMatchObject({ transport: 'websocket', clientAddress: '198.51.100.9' });
});

test('the OpenAPI document describes both fields, with the transports as an enumeration', async () => {
  const reply = await api.call('GET', '/openapi.json');
  expect(reply.status).toBe(200);
  const text = JSON.stringify(reply.json);
  expect(text).toContain('"enum":["tcp","direct_tls","websocket","bosh"]');
  expect(text).toContain('"clientAddress"');
});

/** Opens a WebSocket stream through a "proxy" forwarding `address`, authenticates `user` with PLAIN; stops before binding. */
async function wsAuthenticateForwarded(user: string, address: string): Promise<WsClient> {
  const client = await WsClient.connect(wsUrl(), { headers: { 'X-Forwarded-For': address } });
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  const payload = Buffer.from(`\0${user}\0${user}-secret`).toString('base64');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
  const outcome = await client.waitFor((el) => el.name === 'success' || el.name === 'failure');
  if (outcome.name !== 'success') throw new Error(`login failed: ${outcome.toString()}`);
  const seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  return client;
}

async function wsLoginForwarded(user: string, resource: string, address: string): Promise<WsClient> {
  const client = await wsAuthenticateForwarded(user, address);
  const seen = client.received.length;
  client.send(`<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
  const bound = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === 'bind1', 3000, seen);
  if (bound.attrs.type !== 'result') throw new Error(`bind failed: ${bound.toString()}`);
  return client;
}
