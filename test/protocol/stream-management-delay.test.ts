/**
 * XEP-0198 redelivery with XEP-0203 delay stamps, raw XML over real sockets: on resumption each
 * unacknowledged message and presence says when the server first queued it (not when the client
 * came back), an iq says nothing, a stanza that already had a delay keeps exactly that one, and a
 * second resumption sends the same bytes again.
 */
import { expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { dropSession } from '../../server/testing/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { login, sync } from '../helpers/roster-raw.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';
import { authenticate, resume, smLogin } from '../helpers/sm-raw.js';

const DELAY = 'urn:xmpp:delay';
const OLD_STAMP = '2001-02-03T04:05:06Z';

const fixture = rawServerPerTest();

function delays(el: Element): Element[] {
  return el.getChildren('delay', DELAY);
}

/** The stamp's time in milliseconds; the stamp is whole seconds (XEP-0082). */
function stampMs(el: Element): number {
  const stamp = String(delays(el)[0]?.attrs.stamp);
  expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return Date.parse(stamp);
}

/** Expects a stamp taken between `before` and `after` (both from Date.now()). */
function expectStampBetween(el: Element, before: number, after: number): void {
  const at = stampMs(el);
  expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  expect(at).toBeLessThanOrEqual(after);
}

/** Everything the server writes to `client` from now on, as text (decrypted TLS). */
function recordText(client: RawClient): () => string {
  let text = '';
  client.socket.on('data', (chunk: Buffer | string) => {
    text += chunk.toString();
  });
  return () => text;
}

/** The top-level stanzas in `text` (these tests nest none). */
function stanzaTexts(text: string): string[] {
  return text.match(/<(message|presence|iq)\b[^>]*?(\/>|>[\s\S]*?<\/\1>)/g) ?? [];
}

async function resumeRecorded(id: string, until: (el: Element) => boolean): Promise<{ client: RawClient; text: () => string; start: number }> {
  const client = fixture.track(await authenticate(fixture.server.port, 'alice'));
  const text = recordText(client);
  const resumed = await resume(client, id, 0);
  expect(resumed.name).toBe('resumed');
  await client.waitFor(until);
  return { client, text, start: client.received.indexOf(resumed) };
}

test('redelivered messages and presence carry the time they were queued; iq does not; an existing delay stays the only one', async () => {
  const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
  fixture.track(phone);
  const bob = fixture.track(await login(fixture.server.port, 'bob', 'desk'));

  // Written on the live connection, never acknowledged (this client answers no <r/>).
  const liveBefore = Date.now();
  bob.send(`<message to='alice@localhost/phone' type='chat' id='live'><body>live</body></message>`);
  bob.send(`<iq to='alice@localhost/phone' type='get' id='ask'><query xmlns='jabber:iq:version'/></iq>`);
  bob.send(`<message to='alice@localhost/phone' type='chat' id='old'><body>old</body><delay xmlns='${DELAY}' from='bob@localhost' stamp='${OLD_STAMP}'/></message>`);
  await phone.waitFor((el) => el.attrs.id === 'old');
  const liveAfter = Date.now();
  expect(delays(phone.received.find((el) => el.attrs.id === 'live')!)).toEqual([]);

  await dropSession(fixture.server, 'alice@localhost/phone', { resumable: true });
  const awayBefore = Date.now();
  bob.send(`<message to='alice@localhost/phone' type='chat' id='away'><body>away</body></message>`);
  bob.send(`<presence to='alice@localhost/phone' id='seen'><status>here</status></presence>`);
  await sync(bob);
  const awayAfter = Date.now();
  // The resumption comes more than a second later: a stamp of the resumption time would differ.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  const resumeAt = Date.now();
  const first = await resumeRecorded(id, (el) => el.attrs.id === 'seen');
  const got = (stanzaId: string): Element => first.client.received.slice(first.start).find((el) => el.attrs.id === stanzaId)!;
  expect(['live', 'ask', 'old', 'away', 'seen'].map((stanzaId) => got(stanzaId)?.name)).toEqual(['message', 'iq', 'message', 'message', 'presence']);

  for (const stanzaId of ['live', 'away', 'seen']) {
    expect(delays(got(stanzaId)).map((delay) => delay.attrs.from)).toEqual(['alice@localhost']);
    expect(resumeAt - stampMs(got(stanzaId))).toBeGreaterThanOrEqual(1000);
  }
  expectStampBetween(got('live'), liveBefore, liveAfter);
  expectStampBetween(got('away'), awayBefore, awayAfter);
  expectStampBetween(got('seen'), awayBefore, awayAfter);
  expect(got('ask').getChildren('delay', DELAY)).toEqual([]);
  expect(got('ask').getChild('query', 'jabber:iq:version')).toBeDefined();
  expect(delays(got('old')).map((delay) => [delay.attrs.from, delay.attrs.stamp])).toEqual([['bob@localhost', OLD_STAMP]]);

  // Cut again before acknowledging anything: the second resumption writes the same bytes.
  const firstBytes = stanzaTexts(first.text()).slice(0, 5);
  expect(firstBytes).toHaveLength(5);
  expect(firstBytes.join('').match(/urn:xmpp:delay/g)).toHaveLength(4);
  await dropSession(fixture.server, 'alice@localhost/phone', { resumable: true });
  const second = await resumeRecorded(id, (el) => el.attrs.id === 'seen');
  expect(stanzaTexts(second.text()).slice(0, 5)).toEqual(firstBytes);
});
