/**
 * vcard-temp (XEP-0054) and vCard avatar hashes (XEP-0153) with a real client library: xmpp.js
 * (`@xmpp/client`) sessions store and read vCards with the library's iq caller, and a presence
 * sent without any avatar element reaches another user with the hash the server added.
 */
import { createHash } from 'node:crypto';
import { expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';

const VCARD = 'vcard-temp';
const UPDATE = 'vcard-temp:x:update';

const fixture = xmppJsServerPerTest();

function online(username: string, resource: string): Promise<TestClient> {
  return xmppJsOnline(fixture, username, resource);
}

/** The library's iq caller: resolves with the result's vCard (if any), rejects with a StanzaError. */
async function vcardIq(client: TestClient, type: 'get' | 'set', vcard: Element, to?: string): Promise<Element | undefined> {
  const attrs: Record<string, string> = to === undefined ? { type } : { type, to };
  const reply = await client.xmpp.iqCaller.request(xml('iq', attrs, vcard));
  return reply.getChild('vCard', VCARD);
}

const emptyVCard = (): Element => xml('vCard', { xmlns: VCARD });

test('a vCard stored by one xmpp.js client is read by another user, whose client sees its avatar hash', async () => {
  const alice = await online('alice', 'laptop');
  const bob = await online('bob', 'desk');
  const image = Buffer.from('a small avatar');
  const vcard = xml('vCard', { xmlns: VCARD },
    xml('FN', {}, 'Alice'),
    xml('PHOTO', {}, xml('TYPE', {}, 'image/png'), xml('BINVAL', {}, image.toString('base64'))));
  await vcardIq(alice, 'set', vcard);

  const own = await vcardIq(alice, 'get', emptyVCard());
  expect(own?.getChildText('FN')).toBe('Alice');
  const seen = await vcardIq(bob, 'get', emptyVCard(), 'alice@localhost');
  expect([seen?.getChildText('FN'), seen?.getChild('PHOTO')?.getChildText('BINVAL')]).toEqual(['Alice', image.toString('base64')]);

  await alice.send(xml('presence', { to: bob.jid }));
  const presence = await bob.waitFor((el) => el.name === 'presence' && el.attrs.from === alice.jid);
  expect(presence.getChild('x', UPDATE)?.getChildText('photo')).toBe(createHash('sha1').update(image).digest('hex'));
});

test('the iq caller of another user gets forbidden when it tries to change someone\'s vCard', async () => {
  const alice = await online('alice', 'laptop');
  const bob = await online('bob', 'desk');
  await vcardIq(alice, 'set', xml('vCard', { xmlns: VCARD }, xml('FN', {}, 'Alice')));
  await expect(vcardIq(bob, 'set', xml('vCard', { xmlns: VCARD }, xml('FN', {}, 'Mallory')), 'alice@localhost'))
    .rejects.toMatchObject({ condition: 'forbidden' });
  const seen = await vcardIq(bob, 'get', emptyVCard(), 'alice@localhost');
  expect(seen?.getChildText('FN')).toBe('Alice');
});
