/**
 * Carbons and CSI state belong to the session, not to its connection: after a XEP-0198
 * resumption on a new connection, the session still has carbons enabled and is still inactive
 * (XEP-0280 "for the login session", XEP-0352 state kept per session).
 */
import { expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { dropSession } from '../../server/testing/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, isPresence, login, sync } from '../helpers/roster-raw.js';
import { authenticate, resume, smLogin } from '../helpers/sm-raw.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';

const CARBONS = 'urn:xmpp:carbons:2';
const DELAY = 'urn:xmpp:delay';

const fixture = rawServerPerTest();

function track(client: RawClient): RawClient {
  return fixture.track(client);
}

function receivedCarbon(body: string): (el: Element) => boolean {
  return (el) => el.getChild('received', CARBONS)?.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('message')?.getChildText('body') === body;
}

test('a resumed session keeps carbons enabled and stays inactive', async () => {
  const { client: first, id } = await smLogin(fixture.server.port, 'alice', 'phone');
  track(first);
  first.send('<presence/>');
  await first.waitFor(isPresence('alice@localhost/phone'));
  expect((await ask(first, (q) => `<iq type='set' id='${q}'><enable xmlns='${CARBONS}'/></iq>`)).attrs.type).toBe('result');
  first.send("<inactive xmlns='urn:xmpp:csi:0'/>");
  await sync(first);
  const desk = track(await login(fixture.server.port, 'alice', 'desk'));
  desk.send('<presence/>');
  const bob = track(await login(fixture.server.port, 'bob', 'desk'));

  await dropSession(fixture.server, 'alice@localhost/phone', { resumable: true });
  const second = track(await authenticate(fixture.server.port, 'alice'));
  const resumed = await resume(second, id, 0);
  expect(resumed.toString()).toContain('<resumed');
  const start = second.received.length;

  bob.send(`<presence to='alice@localhost/phone'><status>later</status></presence>`);
  bob.send(`<message to='alice@localhost/desk' type='chat'><body>to the desk</body></message>`);
  // The received carbon of a message with a body is urgent: it brings the held presence first.
  const carbon = await second.waitFor(receivedCarbon('to the desk'), 3000, start);
  expect(carbon.attrs.to).toBe('alice@localhost/phone');
  const presence = second.received.slice(start).find((el) => el.name === 'presence' && el.getChildText('status') === 'later');
  expect(presence?.getChild('delay', DELAY)?.attrs.from).toBe('alice@localhost');
  expect(second.received.indexOf(presence!)).toBeLessThan(second.received.indexOf(carbon));
});
