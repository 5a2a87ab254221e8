/**
 * Last Activity (XEP-0012) over real sockets, raw XML: the server's uptime (§5, `uptime`, loaded
 * by default) and, with `lastactivity` enabled, the server's answer for a user's bare JID (§3):
 * 0 seconds while a resource is online, the time since the logout and its status text after,
 * `forbidden` for anyone not subscribed to the user's presence.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { coreOf } from '../../server/core/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, befriend, errorCondition, getRoster, isPresence, isSubscriptionStanza, login, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const LAST = 'jabber:iq:last';

const fixture = rawServerPerTest({ start: false });

function withLastActivity(): Promise<unknown> {
  return fixture.start({ globals: { modules_enabled: ['lastactivity'] } });
}

/** Online, and interested in its roster (RFC 6121 §2.1.6: roster pushes go to such resources). */
async function online(user: string, resource: string): Promise<RawClient> {
  const client = await rawOnline(fixture, user, resource);
  await getRoster(client);
  return client;
}

function lastQuery(client: RawClient, to: string): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${to}'><query xmlns='${LAST}'/></iq>`);
}

/** `seconds` and the text of a result, or the error condition. */
function answerOf(reply: Element): { seconds: number; text: string } | { error: string | undefined } {
  if (reply.attrs.type !== 'result') return { error: errorCondition(reply) };
  const query = reply.getChild('query', LAST);
  return { seconds: Number(query?.attrs.seconds), text: query?.getText() ?? '' };
}

async function features(client: RawClient, to: string): Promise<unknown[]> {
  const info = await ask(client, (id) => `<iq type='get' id='${id}' to='${to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
  return info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var) ?? [];
}

describe('the server (uptime)', () => {
  test('answers with its uptime by default, without text; user accounts are not answered for', async () => {
    await fixture.start();
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    expect(await features(alice, 'localhost')).toContain(LAST);
    expect(await features(alice, 'alice@localhost')).not.toContain(LAST);
    const reply = await lastQuery(alice, 'localhost');
    expect(reply.attrs).toMatchObject({ type: 'result', from: 'localhost', to: 'alice@localhost/desk' });
    const query = reply.getChild('query', LAST)!;
    expect(String(query.attrs.seconds)).toMatch(/^\d+$/);
    // The server has been up for less time than this test has run.
    expect(Number(query.attrs.seconds)).toBeLessThan(20);
    expect(query.children).toEqual([]);
    // Without lastactivity nobody answers for a user's bare JID (RFC 6121 §8.5.1: service-unavailable).
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'service-unavailable' });
  });

  test('modules_disabled turns uptime off', async () => {
    await fixture.start({ globals: { modules_disabled: ['uptime'] } });
    const alice = await online('alice', 'desk');
    expect(await features(alice, 'localhost')).not.toContain(LAST);
    expect(answerOf(await lastQuery(alice, 'localhost'))).toEqual({ error: 'service-unavailable' });
  });
});

describe('a user (lastactivity)', () => {
  test('a contact gets 0 seconds while the user is online, then the logout\'s status text', async () => {
    await withLastActivity();
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    expect(await features(bob, 'alice@localhost')).toContain(LAST);
    await befriend(alice, 'alice', bob, 'bob');
    // §3: an available resource means 0, with an empty query; the iq never reaches the user.
    const seenByAlice = alice.received.length;
    const live = await lastQuery(bob, 'alice@localhost');
    expect(live.attrs).toMatchObject({ type: 'result', from: 'alice@localhost' });
    expect(answerOf(live)).toEqual({ seconds: 0, text: '' });
    expect(live.getChild('query', LAST)?.children).toEqual([]);
    await sync(alice);
    expect(alice.received.slice(seenByAlice).filter((el) => el.name === 'iq' && el.getChild('query', LAST) !== undefined)).toEqual([]);

    alice.send('<presence type=\'unavailable\'><status>Heading Home</status></presence>');
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    const after = answerOf(await lastQuery(bob, 'alice@localhost'));
    expect(after).toEqual({ seconds: expect.any(Number), text: 'Heading Home' });
    expect((after as { seconds: number }).seconds).toBeLessThan(5);
  });

  test('a lost connection is a logout without status; the seconds count from the stored logout time', async () => {
    await withLastActivity();
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    alice.close();
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    // A lost connection: logged out now, without a status.
    const lost = answerOf(await lastQuery(bob, 'alice@localhost'));
    expect(lost).toEqual({ seconds: expect.any(Number), text: '' });
    expect((lost as { seconds: number }).seconds).toBeLessThan(5);
    // XEP-0012 §3's example: logged out 903 seconds ago.
    const store = coreOf(fixture.server).storage.open<unknown>('localhost', 'lastactivity');
    await store.set('alice', { at: Date.now() - 903_000, status: 'Heading Home' });
    const reply = answerOf(await lastQuery(bob, 'alice@localhost'));
    expect(reply).toEqual({ seconds: expect.any(Number), text: 'Heading Home' });
    expect((reply as { seconds: number }).seconds).toBeGreaterThanOrEqual(903);
    expect((reply as { seconds: number }).seconds).toBeLessThan(910);
  });

  test('with two resources the user is online until the last one goes', async () => {
    await withLastActivity();
    const desk = await online('alice', 'desk');
    const phone = await online('alice', 'phone');
    const bob = await online('bob', 'desk');
    await befriend(desk, 'alice', bob, 'bob');
    desk.send('<presence type=\'unavailable\'><status>desk off</status></presence>');
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ seconds: 0, text: '' });
    phone.send('<presence type=\'unavailable\'><status>phone off</status></presence>');
    await bob.waitFor(isPresence('alice@localhost/phone', 'unavailable'));
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toMatchObject({ text: 'phone off' });
    // The streams ending later keep the status the last resource logged out with.
    phone.close();
    desk.close();
    await sessionsGone('alice');
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toMatchObject({ text: 'phone off' });
  });

  test('only the user and contacts with a subscription from or both get an answer; others are forbidden', async () => {
    await withLastActivity();
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    // Stranger: forbidden, before and after a logout.
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'forbidden' });
    // Alice subscribes to Bob's presence: Bob's roster has her as `from`, hers has him as `to`.
    alice.send("<presence to='bob@localhost' type='subscribe'/>");
    await bob.waitFor(isSubscriptionStanza('subscribe', 'alice@localhost'));
    bob.send("<presence to='alice@localhost' type='subscribed'/>");
    await alice.waitFor(isPresence('bob@localhost/desk'));
    // Alice may see Bob's presence, so she is answered about Bob ...
    expect(answerOf(await lastQuery(alice, 'bob@localhost'))).toEqual({ seconds: 0, text: '' });
    // ... but Bob may not see hers (subscription `to` in his view of her): forbidden.
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'forbidden' });
    // The user asking about themselves is answered.
    expect(answerOf(await lastQuery(alice, 'alice@localhost'))).toEqual({ seconds: 0, text: '' });
    // An account that does not exist: RFC 6121 §8.5.1.
    expect(answerOf(await lastQuery(alice, 'nobody@localhost'))).toEqual({ error: 'service-unavailable' });
  });

  test('a contact the user blocks is answered as if the account did not exist (XEP-0191)', async () => {
    await withLastActivity();
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ seconds: 0, text: '' });
    const blocked = await ask(alice, (id) => `<iq type='set' id='${id}'><block xmlns='urn:xmpp:blocking'><item jid='bob@localhost'/></block></iq>`);
    expect(blocked.attrs.type).toBe('result');
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'service-unavailable' });
  });

  test('a contact never seen logging out gets item-not-found; the record goes with the account', async () => {
    // Alice and Bob are contacts before either logs in.
    await fixture.start({ globals: { modules_enabled: ['lastactivity'], fixture: { rosters: [['alice', 'bob']] } } });
    const bob = await online('bob', 'desk');
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'item-not-found' });

    // A session that never sent presence was never online for contacts; its end is a logout.
    const alice = fixture.track(await login(fixture.server.port, 'alice', 'quiet'));
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'item-not-found' });
    const store = coreOf(fixture.server).storage.open<unknown>('localhost', 'lastactivity');
    alice.close();
    await sessionsGone('alice');
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ seconds: expect.any(Number), text: '' });
    expect(await store.get('alice')).toBeDefined();

    const again = await online('alice', 'desk');
    const removed = await ask(again, (id) => `<iq type='set' id='${id}' to='localhost'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
    expect(removed.attrs.type).toBe('result');
    await sessionsGone('alice');
    // user-deleted is a notification: wait for its handlers' storage work (the session's end
    // is recorded first and then removed with the account).
    const deadline = Date.now() + 3000;
    while ((await store.get('alice')) !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.get('alice')).toBeUndefined();
    expect(answerOf(await lastQuery(bob, 'alice@localhost'))).toEqual({ error: 'service-unavailable' });
  });
});

/** Waits until the server has ended every session of `user` (their `resource-unbind` has fired). */
async function sessionsGone(user: string): Promise<void> {
  const deadline = Date.now() + 3000;
  const remaining = (): number => [...coreOf(fixture.server).sessions.all()].filter((session) => session.jid.local === user).length;
  while (remaining() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(remaining()).toBe(0);
}
