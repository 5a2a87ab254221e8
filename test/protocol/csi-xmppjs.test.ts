/**
 * Client State Indication (XEP-0352) with a real client library: an xmpp.js (`@xmpp/client`)
 * client goes inactive, and gets a contact's presence late, stamped, right
 * before the message that woke it.
 */
import { expect, test } from '@jest/globals';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';

const CSI = 'urn:xmpp:csi:0';
const DELAY = 'urn:xmpp:delay';

const fixture = xmppJsServerPerTest();

function online(username: string, resource: string): Promise<TestClient> {
  return xmppJsOnline(fixture, username, resource);
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
