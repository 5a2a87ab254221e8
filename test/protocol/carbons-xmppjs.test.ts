/**
 * Message Carbons (XEP-0280) with a real client library: two xmpp.js (`@xmpp/client`) sessions
 * of one account enable carbons with the library's iq caller and each sees the other's side of
 * a conversation.
 */
import { expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';

const CARBONS = 'urn:xmpp:carbons:2';
const FORWARD = 'urn:xmpp:forward:0';

const fixture = xmppJsServerPerTest();

function online(username: string, resource: string): Promise<TestClient> {
  return xmppJsOnline(fixture, username, resource);
}

function carbon(direction: 'sent' | 'received', body: string): (el: Element) => boolean {
  return (el) => el.getChild(direction, CARBONS)?.getChild('forwarded', FORWARD)?.getChild('message')?.getChildText('body') === body;
}

test('two xmpp.js sessions of one account get each other\'s sent and received carbons', async () => {
  const phone = await online('alice', 'phone');
  const laptop = await online('alice', 'laptop');
  const bob = await online('bob', 'desk');
  for (const client of [phone, laptop]) {
    const reply = await client.xmpp.iqCaller.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: CARBONS })));
    expect(reply.attrs.type).toBe('result');
  }

  await phone.send(xml('message', { to: 'bob@localhost', type: 'chat' }, xml('body', {}, 'from the phone')));
  const sent = await laptop.waitFor(carbon('sent', 'from the phone'));
  expect(sent.attrs.from).toBe('alice@localhost');
  await bob.waitFor((el) => el.getChildText('body') === 'from the phone');

  await bob.send(xml('message', { to: laptop.jid, type: 'chat' }, xml('body', {}, 'to the laptop')));
  const received = await phone.waitFor(carbon('received', 'to the laptop'));
  expect(received.attrs).toMatchObject({ from: 'alice@localhost', to: phone.jid });
  await laptop.waitFor((el) => el.getChildText('body') === 'to the laptop');
});
