/**
 * The delivery rule (DESIGN.md §7): a room's fan-out, private messages and presence pass the
 * recipient host's inbound guards like routed stanzas do. XEP-0191 §3.5: a user who blocks a room,
 * or one occupant of it, receives nothing from it; `salon/testing`'s tap and delay see room
 * traffic.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { delayDelivery, tapStanzas } from '../../server/testing/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ask, createInstantRoom, enter, errorCondition, login, SERVICE, since, sync, users } from '../helpers/muc-harness.js';

const BLOCKING = 'urn:xmpp:blocking';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol') });
  [alice, bob, carol] = await Promise.all([login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'), login(server.port, 'carol', 'laptop')]);
});
afterAll(async () => {
  for (const client of [alice, bob, carol]) client?.close();
  await server.stop();
});

async function blocking(client: RawClient, action: 'block' | 'unblock', jid: string): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='set' id='${id}'><${action} xmlns='${BLOCKING}'><item jid='${jid}'/></${action}></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`${action} refused: ${reply.toString()}`);
}

/** Sends a groupchat message and resolves once `witness` (another occupant) received it. */
async function say(from: RawClient, witness: RawClient, room: string, id: string, body: string): Promise<Element> {
  const seen = witness.received.length;
  from.send(`<message to='${room}@${SERVICE}' type='groupchat' id='${id}'><body>${body}</body></message>`);
  return witness.waitFor((el) => el.name === 'message' && el.attrs.id === id, 3000, seen);
}

/** Changes the sender's presence in the room and resolves once `witness` saw it. */
async function away(from: RawClient, witness: RawClient, room: string, nick: string, status: string): Promise<void> {
  const seen = witness.received.length;
  from.send(`<presence to='${room}@${SERVICE}/${nick}'><show>away</show><status>${status}</status></presence>`);
  await witness.waitFor((el) => el.name === 'presence' && el.attrs.from === `${room}@${SERVICE}/${nick}` && el.getChildText('status') === status, 3000, seen);
}

/** A private message to `room/nick`; resolves once the sender's stream handled it (the room writes synchronously). */
async function whisper(from: RawClient, room: string, nick: string, id: string): Promise<void> {
  from.send(`<message to='${room}@${SERVICE}/${nick}' type='chat' id='${id}'><body>psst</body></message>`);
  await sync(from);
}

const fromRoom = (room: string) => (el: Element): boolean => String(el.attrs.from ?? '').startsWith(`${room}@${SERVICE}`);

describe('a user who blocked a room receives nothing from it (XEP-0191 §3.5)', () => {
  test('blocking the room JID stops its groupchat, presence and private messages; unblocking lets them through again', async () => {
    await createInstantRoom(alice, 'quiet', 'Alice');
    await enter(bob, 'quiet', 'Bob');
    await enter(carol, 'quiet', 'Carol');
    await blocking(bob, 'block', `quiet@${SERVICE}`);

    const mark = bob.received.length;
    await say(alice, carol, 'quiet', 'q1', 'not for bob');
    await away(alice, carol, 'quiet', 'Alice', 'busy');
    await whisper(carol, 'quiet', 'Bob', 'q2');
    // An iq request must be answered (RFC 6120 §8.2.3): as an absent entity would (XEP-0191 §3.5).
    const version = await ask(carol, (id) => `<iq type='get' id='${id}' to='quiet@${SERVICE}/Bob'><query xmlns='jabber:iq:version'/></iq>`);
    expect(version.attrs).toMatchObject({ type: 'error', from: `quiet@${SERVICE}/Bob` });
    expect(errorCondition(version)).toBe('service-unavailable');
    await sync(bob); // everything written to bob before the pong has arrived
    expect(since(bob, mark).filter(fromRoom('quiet'))).toEqual([]);

    await blocking(bob, 'unblock', `quiet@${SERVICE}`);
    const again = bob.received.length;
    await say(alice, carol, 'quiet', 'q3', 'for bob again');
    await whisper(carol, 'quiet', 'Bob', 'q4');
    await sync(bob);
    expect(since(bob, again).filter(fromRoom('quiet')).map((el) => el.attrs.id)).toEqual(['q3', 'q4']);
  });

  test('blocking one occupant JID stops only that occupant\'s traffic', async () => {
    await createInstantRoom(alice, 'partial', 'Alice');
    await enter(bob, 'partial', 'Bob');
    await enter(carol, 'partial', 'Carol');
    await blocking(bob, 'block', `partial@${SERVICE}/Carol`);

    const mark = bob.received.length;
    await say(carol, alice, 'partial', 'p1', 'carol speaks');
    await away(carol, alice, 'partial', 'Carol', 'gone fishing');
    await whisper(carol, 'partial', 'Bob', 'p2');
    await say(alice, carol, 'partial', 'p3', 'alice speaks');
    await sync(bob);
    const got = since(bob, mark).filter(fromRoom('partial'));
    expect(got.map((el) => `${el.name} ${String(el.attrs.from)} ${String(el.attrs.id)}`)).toEqual([`message partial@${SERVICE}/Alice p3`]);
    await blocking(bob, 'unblock', `partial@${SERVICE}/Carol`);
  });
});

describe('salon/testing sees room traffic', () => {
  test('tapStanzas records a room\'s groupchat fan-out and presence, one copy per recipient session', async () => {
    await createInstantRoom(alice, 'tapped', 'Alice');
    await enter(bob, 'tapped', 'Bob');
    const tap = tapStanzas(server, { jid: 'bob@localhost' });
    try {
      await say(alice, bob, 'tapped', 't1', 'seen by the tap');
      const message = await tap.waitFor((s) => s.name === 'message' && s.id === 't1');
      expect(message).toMatchObject({ from: `tapped@${SERVICE}/Alice`, to: 'bob@localhost/phone', type: 'groupchat', host: 'localhost' });
      expect(message.element.getChildText('body')).toBe('seen by the tap');
      expect(message.xml).toContain('<body>seen by the tap</body>');

      await away(alice, bob, 'tapped', 'Alice', 'tapped away');
      const presence = await tap.waitFor((s) => s.name === 'presence' && s.element.getChildText('status') === 'tapped away');
      expect(presence).toMatchObject({ from: `tapped@${SERVICE}/Alice`, to: 'bob@localhost/phone' });
      expect(tap.filter((s) => s.to !== 'bob@localhost/phone')).toEqual([]);
    } finally {
      tap.stop();
    }
  });

  test('delayDelivery holds a room\'s fan-out to one user and delivers it later, in order; the tap records it when delivered', async () => {
    await createInstantRoom(alice, 'slow', 'Alice');
    await enter(bob, 'slow', 'Bob');
    await enter(carol, 'slow', 'Carol');
    await sync(bob); // carol's arrival reached bob before the fault
    const fault = delayDelivery(server, 'bob@localhost', 300);
    const tap = tapStanzas(server, { jid: 'bob@localhost' });
    try {
      const seenBob = bob.received.length;
      const started = performance.now();
      await say(alice, carol, 'slow', 'd1', 'first');
      await say(alice, carol, 'slow', 'd2', 'second');
      const carolAt = performance.now();
      // Carol has both; bob's copies are held, so neither is recorded or received yet.
      expect(tap.filter((s) => s.name === 'message')).toEqual([]);
      expect(since(bob, seenBob).filter(fromRoom('slow'))).toEqual([]);
      await bob.waitFor((el) => el.attrs.id === 'd2', 3000, seenBob);
      const bobAt = performance.now();
      expect(bobAt - started).toBeGreaterThanOrEqual(290);
      expect(bobAt).toBeGreaterThan(carolAt);
      expect(since(bob, seenBob).filter(fromRoom('slow')).map((el) => el.attrs.id)).toEqual(['d1', 'd2']);
      expect(tap.filter((s) => s.name === 'message').map((s) => s.id)).toEqual(['d1', 'd2']);
    } finally {
      tap.stop();
      fault.remove();
    }
  });
});
