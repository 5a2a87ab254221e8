/**
 * Private XML Storage (XEP-0049) with a real client library: xmpp.js (`@xmpp/client`) stores
 * XEP-0048 bookmarks with its iq caller, another session of the account reads them, and a
 * refused request rejects the caller's promise with the stanza error.
 */
import { expect, test } from '@jest/globals';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';

const PRIVATE = 'jabber:iq:private';
const BOOKMARKS = 'storage:bookmarks';

const fixture = xmppJsServerPerTest();

function online(username: string, resource: string): Promise<TestClient> {
  return xmppJsOnline(fixture, username, resource);
}

test('bookmarks stored by one xmpp.js session are read by another; a reserved namespace is refused', async () => {
  const laptop = await online('alice', 'laptop');
  const phone = await online('alice', 'phone');
  const bookmarks = xml('storage', { xmlns: BOOKMARKS },
    xml('conference', { jid: 'lobby@conference.localhost', autojoin: 'true', name: 'Lobby' }, xml('nick', {}, 'al')));
  const stored = await laptop.xmpp.iqCaller.request(xml('iq', { type: 'set' }, xml('query', { xmlns: PRIVATE }, bookmarks)));
  expect(stored.attrs.type).toBe('result');

  const read = await phone.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: PRIVATE }, xml('storage', { xmlns: BOOKMARKS }))));
  const conference = read.getChild('query', PRIVATE)?.getChild('storage', BOOKMARKS)?.getChild('conference');
  expect(conference?.attrs).toEqual({ jid: 'lobby@conference.localhost', autojoin: 'true', name: 'Lobby' });
  expect(conference?.getChildText('nick')).toBe('al');

  // XEP-0049 §2.3: reserved namespaces are not acceptable; xmpp.js rejects with the error.
  const refused = phone.xmpp.iqCaller.request(xml('iq', { type: 'set' }, xml('query', { xmlns: PRIVATE }, xml('vCard', { xmlns: 'vcard-temp' }))));
  await expect(refused).rejects.toMatchObject({ condition: 'not-acceptable' });
});
