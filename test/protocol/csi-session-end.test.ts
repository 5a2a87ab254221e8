/**
 * Client State Indication (XEP-0352) when the session ends for good, raw XML over real sockets:
 * the messages `csi_simple` was holding (a delivery receipt here) go where stream management's
 * unacknowledged stanzas go (`delivery-failure`: offline storage), after them and with the time
 * they were held; held presence is dropped.
 */
import { expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { dropSession } from '../../server/testing/index.js';
import { isPresence, login, sync } from '../helpers/roster-raw.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';
import { smLogin } from '../helpers/sm-raw.js';
import { waitForLog } from '../helpers/wait-for-log.js';

const CSI = 'urn:xmpp:csi:0';
const DELAY = 'urn:xmpp:delay';
const RECEIPTS = 'urn:xmpp:receipts';
const PHONE = 'alice@localhost/phone';

// One second of hibernation instead of the shipped 600 s: the test waits for the hibernating
// session to expire, which is when it ends for good.
const fixture = rawServerPerTest({ start: { globals: { smacks_hibernation_time: 1 } } });

test('held receipts reach offline storage after the unacknowledged messages; held presence does not', async () => {
  const { client: phone } = await smLogin(fixture.server.port, 'alice', 'phone');
  fixture.track(phone);
  phone.send('<presence/>');
  await phone.waitFor(isPresence(PHONE));
  const bob = fixture.track(await login(fixture.server.port, 'bob', 'desk'));

  // Written to the live connection and never acknowledged (this client answers no <r/>).
  bob.send(`<message to='${PHONE}' type='chat' id='before'><body>before</body></message>`);
  await phone.waitFor((el) => el.attrs.id === 'before');
  const queuedBy = Date.now();
  phone.send(`<inactive xmlns='${CSI}'/>`);
  await sync(phone);

  // Neither is urgent (XEP-0352 §5): both are held.
  const heldFrom = Date.now();
  bob.send(`<message to='${PHONE}' id='receipt'><received xmlns='${RECEIPTS}' id='before'/></message>`);
  bob.send(`<presence to='${PHONE}'><status>held</status></presence>`);
  await sync(bob);
  const heldUntil = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(phone.received.some((el) => el.attrs.id === 'receipt' || el.getChildText('status') === 'held')).toBe(false);

  await dropSession(fixture.server, PHONE, { resumable: true });
  await waitForLog(fixture.server, (line) => line.msg === 'hibernation expired', 5000);
  const atEnd = await waitForLog(fixture.server, (line) => line.msg === 'csi: held stanzas at session end', 3000);
  expect([atEnd.dropped, atEnd.reported]).toEqual([1, 1]);
  await waitForLog(fixture.server, (line) => line.msg === 'csi: held messages reported undelivered', 3000);

  const laptop = fixture.track(await login(fixture.server.port, 'alice', 'laptop'));
  const start = laptop.received.length;
  laptop.send('<presence/>');
  await laptop.waitFor((el) => el.attrs.id === 'receipt', 3000, start);
  await sync(laptop);
  const fromBob = laptop.received.slice(start).filter((el) => String(el.attrs.from ?? '').startsWith('bob@localhost'));
  expect(fromBob.map((el) => `${el.name}:${String(el.attrs.id)}`)).toEqual(['message:before', 'message:receipt']);
  // The unacknowledged message too: one delay, with the time it was queued, not the expiry.
  const before = fromBob[0]!.getChildren('delay', DELAY);
  expect(before.map((delay: Element) => delay.attrs.from)).toEqual(['localhost']);
  expect(Date.parse(String(before[0]!.attrs.stamp))).toBeLessThanOrEqual(queuedBy);
  const receipt = fromBob[1]!;
  expect(receipt.getChild('received', RECEIPTS)?.attrs.id).toBe('before');
  // One delay, offline storage's, saying when the receipt was held, not when the session expired.
  const stamps = receipt.getChildren('delay', DELAY).map((delay: Element) => [delay.attrs.from, Date.parse(String(delay.attrs.stamp))]);
  expect(stamps).toHaveLength(1);
  expect(stamps[0]![0]).toBe('localhost');
  expect(stamps[0]![1]).toBeGreaterThanOrEqual(Math.floor(heldFrom / 1000) * 1000);
  expect(stamps[0]![1]).toBeLessThanOrEqual(heldUntil);
  expect(laptop.received.slice(start).some((el) => el.getChildText('status') === 'held')).toBe(false);
});
