/**
 * Client State Indication (XEP-0352) with a real client library: an xmpp.js (`@xmpp/client`)
 * client goes inactive, and gets a contact's presence late, stamped, right
 * before the message that woke it.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';

const CSI = 'urn:xmpp:csi:0';
const DELAY = 'urn:xmpp:delay';

let server: TestServer;
const clients: TestClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.stop();
  await server.stop();
});

async function online(username: string, resource: string): Promise<TestClient> {
  const client = await connectClient({ port: server.port, username, password: `${username}-secret`, resource, mechanism: 'SCRAM-SHA-256' });
  clients.push(client);
  await client.send(xml('presence'));
  await client.waitFor((el) => el.name === 'presence' && el.attrs.from === client.jid);
  return client;
}

test('an inactive xmpp.js client gets held presence, stamped, just before the message that flushes it', async () => {
  const phone = await online('alice', 'phone');
  await phone.send(xml('inactive', { xmlns: CSI }));
  // A round trip: the nonza has been taken once the ping is answered.
  await phone.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));

  const bob = await online('bob', 'desk');
  await bob.send(xml('presence', { to: phone.jid }, xml('status', {}, 'away for lunch')));
  await bob.send(xml('message', { to: phone.jid, type: 'chat' }, xml('body', {}, 'hello')));
  await phone.waitFor((el) => el.getChildText('body') === 'hello');
  const fromBob = phone.received.filter((el) => String(el.attrs.from).startsWith('bob@localhost'));
  expect(fromBob.map((el) => el.name)).toEqual(['presence', 'message']);
  expect(fromBob[0]!.getChild('delay', DELAY)?.attrs.from).toBe('alice@localhost');
  expect(fromBob[1]!.getChild('delay', DELAY)).toBeUndefined();
});
