/**
 * PEP with a real client library: xmpp.js (`@xmpp/client`) publishes an OMEMO device list and
 * bundle the way OMEMO clients do (publish-options: open access, max items), another resource
 * of the account that advertises "+notify" in its entity capabilities (and answers the server's
 * disco#info query) is notified, and a stranger reads both nodes.
 */
import { expect, test } from '@jest/globals';
import { parse, type Element } from 'ltx';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';
import { clientCaps, PUBSUB, PUBSUB_EVENT } from '../helpers/pep-raw.js';

const DEVICES = 'eu.siacs.conversations.axolotl.devicelist';
const BUNDLE = 'eu.siacs.conversations.axolotl.bundles:31415';
const AXOLOTL = 'eu.siacs.conversations.axolotl';

const fixture = xmppJsServerPerTest();

function online(username: string, resource: string): Promise<TestClient> {
  return xmppJsOnline(fixture, username, resource);
}

function openAccess(): Element {
  return xml('publish-options', {},
    xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, `${PUBSUB}#publish-options`)),
      xml('field', { var: 'pubsub#access_model' }, xml('value', {}, 'open')),
      xml('field', { var: 'pubsub#max_items' }, xml('value', {}, 'max'))));
}

async function publish(client: TestClient, node: string, item: Element): Promise<Element> {
  return client.xmpp.iqCaller.request(xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB }, xml('publish', { node }, item), openAccess())));
}

test('an OMEMO device list and bundle published with publish-options reach a +notify resource and open readers', async () => {
  const phone = await online('alice', 'phone');
  const laptop = await online('alice', 'laptop');
  const bob = await online('bob', 'desk');

  const { query, ver } = clientCaps([`${DEVICES}+notify`]);
  await laptop.send(xml('presence', {}, xml('c', { xmlns: 'http://jabber.org/protocol/caps', hash: 'sha-1', node: 'https://salon.example/test-client', ver })));
  // The server asks the laptop what the ver means; the laptop answers, then a ping round trip
  // tells that the server has read the answer (stanzas of one stream are handled in order).
  const asked = await laptop.waitFor((el) => el.name === 'iq' && el.getChild('query', 'http://jabber.org/protocol/disco#info') !== undefined);
  await laptop.send(xml('iq', { type: 'result', id: asked.attrs.id as string, to: asked.attrs.from as string },
    parse(`<query xmlns='http://jabber.org/protocol/disco#info' node='https://salon.example/test-client#${ver}'>${query}</query>`)));
  await laptop.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));

  const devices = xml('item', { id: 'current' }, xml('list', { xmlns: AXOLOTL }, xml('device', { id: '31415' })));
  const published = await publish(phone, DEVICES, devices);
  expect(published.getChild('pubsub', PUBSUB)?.getChild('publish')?.getChild('item')?.attrs.id).toBe('current');
  await publish(phone, BUNDLE, xml('item', { id: 'current' }, xml('bundle', { xmlns: AXOLOTL }, xml('signedPreKeyPublic', { signedPreKeyId: '1' }, 'AAAA'))));

  const event = await laptop.waitFor((el) => el.name === 'message' && el.getChild('event', PUBSUB_EVENT)?.getChild('items')?.attrs.node === DEVICES);
  expect(event.getChild('event')?.getChild('items')?.getChild('item')?.getChild('list', AXOLOTL)?.getChild('device')?.attrs.id).toBe('31415');

  for (const node of [DEVICES, BUNDLE]) {
    const items = await bob.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'alice@localhost' }, xml('pubsub', { xmlns: PUBSUB }, xml('items', { node, max_items: '1' }))));
    expect(items.getChild('pubsub', PUBSUB)?.getChild('items')?.getChildren('item').map((i) => i.attrs.id)).toEqual(['current']);
  }
});
