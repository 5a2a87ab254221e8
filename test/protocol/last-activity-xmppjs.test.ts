/**
 * Last Activity (XEP-0012) with a real client library: xmpp.js (`@xmpp/client`) asks the server
 * for its uptime and, with `lastactivity` enabled, for a contact who logged out with a status.
 * The two accounts are contacts from the start (`fixture.rosters`).
 */
import { expect, test } from '@jest/globals';
import { xmppJsOnline, xmppJsServerPerTest } from '../helpers/server-per-test.js';
import { xml } from '../helpers/xmpp-client.js';

const LAST = 'jabber:iq:last';

const fixture = xmppJsServerPerTest({ start: { globals: { modules_enabled: ['lastactivity'], fixture: { rosters: [['alice', 'bob']] } } } });

test('an xmpp.js client reads the server\'s uptime and the status its contact logged out with', async () => {
  const alice = await xmppJsOnline(fixture, 'alice', 'laptop');
  const bob = await xmppJsOnline(fixture, 'bob', 'phone');
  const ask = (to: string) => bob.xmpp.iqCaller.request(xml('iq', { type: 'get', to }, xml('query', { xmlns: LAST })));

  const uptime = (await ask('localhost')).getChild('query', LAST);
  expect(Number(uptime?.attrs.seconds)).toBeGreaterThanOrEqual(0);
  expect((await ask('alice@localhost')).getChild('query', LAST)?.attrs.seconds).toBe('0');

  await alice.send(xml('presence', { type: 'unavailable' }, xml('status', {}, 'back tomorrow')));
  await bob.waitFor((el) => el.name === 'presence' && el.attrs.from === alice.jid && el.attrs.type === 'unavailable');
  const gone = (await ask('alice@localhost')).getChild('query', LAST);
  expect(gone?.getText()).toBe('back tomorrow');
  expect(Number(gone?.attrs.seconds)).toBeLessThan(5);
});
