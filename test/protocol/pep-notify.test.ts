/**
 * PEP notifications (XEP-0163 §4.3) over real sockets, raw XML: the owner's resources and
 * subscribed contacts receive events for the nodes their entity capabilities (XEP-0115) ask
 * "+notify" for; capabilities are verified against the disco#info answer and cached by `ver`
 * (`pep_caps_cache_size` least recently used entries, tested at the shipped 1000);
 * a resource becoming available receives the last item; retractions and deletions are
 * announced.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, befriend, getRoster, login, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { DEFAULT_USERS } from '../helpers/test-server.js';
import { announceCaps, isEvent, publish, PUBSUB, PUBSUB_EVENT } from '../helpers/pep-raw.js';

const MOOD = 'http://jabber.org/protocol/mood';
const TUNE = 'http://jabber.org/protocol/tune';

const fixture = rawServerPerTest({ start: { users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' } } });

async function online(user: string, resource: string): Promise<RawClient> {
  const client = await rawOnline(fixture, user, resource);
  await getRoster(client);
  return client;
}

const mood = (text: string, id = text): string => `<item id='${id}'><mood xmlns='${MOOD}'><happy/><text>${text}</text></mood></item>`;
const eventsIn = (client: RawClient): Element[] => client.received.filter((el) => el.name === 'message' && el.getChild('event', PUBSUB_EVENT) !== undefined);

describe('who is notified', () => {
  test("the owner's resources asking +notify are notified; one without interest is not; a known ver is not queried again", async () => {
    const desk = await online('alice', 'desk');
    const phone = await online('alice', 'phone');
    const laptop = await online('alice', 'laptop');
    const ver = await announceCaps(desk, [`${MOOD}+notify`]);
    expect(await announceCaps(phone, [`${MOOD}+notify`], { expectQuery: false })).toBe(ver);
    await announceCaps(laptop, [`${TUNE}+notify`]);
    await sync(phone);

    await publish(desk, MOOD, mood('sunny'));
    for (const client of [desk, phone]) {
      const event = await client.waitFor(isEvent('alice@localhost', MOOD));
      expect(event.attrs.type).toBe('headline');
      expect(event.getChild('event')?.getChild('items')?.getChild('item')?.getChild('mood')?.getChildText('text')).toBe('sunny');
    }
    await sync(laptop);
    expect(eventsIn(laptop)).toEqual([]);
    // The phone's cached caps did not need a query: only the desk and the laptop were asked.
    expect(phone.received.filter((el) => el.name === 'iq' && el.attrs.type === 'get')).toEqual([]);
  });

  test('a contact with a presence subscription is notified; a stranger and a contact whose caps do not verify are not', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    const carol = await online('carol', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    await befriend(alice, 'alice', carol, 'carol');
    await announceCaps(bob, [`${MOOD}+notify`]);
    // carol advertises a ver her disco#info answer does not hash to.
    await announceCaps(carol, [`${MOOD}+notify`, `${TUNE}+notify`], { lie: true });
    const dave = fixture.track(await login(fixture.server.port, 'bob', 'other'));
    await getRoster(dave);
    // A second resource of bob, not subscribed-to-from: alice has bob (both); it is notified too.
    await announceCaps(dave, [`${MOOD}+notify`], { expectQuery: false });
    await sync(alice);

    await publish(alice, MOOD, mood('rainy'));
    await bob.waitFor(isEvent('alice@localhost', MOOD));
    await dave.waitFor(isEvent('alice@localhost', MOOD));
    await sync(carol);
    expect(eventsIn(carol)).toEqual([]);
  });

  test('a user without a presence subscription is not notified', async () => {
    const alice = await online('alice', 'desk');
    const carol = await online('carol', 'desk');
    await announceCaps(carol, [`${MOOD}+notify`]);
    await announceCaps(alice, [`${MOOD}+notify`], { expectQuery: false });
    await publish(alice, MOOD, mood('windy'));
    await alice.waitFor(isEvent('alice@localhost', MOOD));
    await sync(carol);
    expect(eventsIn(carol)).toEqual([]);
  });
});

describe('last item and other events', () => {
  test('a contact becoming available and a new resource of the owner receive the last item', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    await publish(alice, MOOD, mood('first'));
    await publish(alice, MOOD, mood('latest'));

    const later = fixture.track(await login(fixture.server.port, 'bob', 'later'));
    await announceCaps(later, [`${MOOD}+notify`]);
    const event = await later.waitFor(isEvent('alice@localhost', MOOD));
    expect(event.getChild('event')?.getChild('items')?.getChildren('item').map((i) => i.attrs.id)).toEqual(['latest']);

    const phone = fixture.track(await login(fixture.server.port, 'alice', 'phone'));
    await announceCaps(phone, [`${MOOD}+notify`], { expectQuery: false });
    await phone.waitFor(isEvent('alice@localhost', MOOD));
    // Presence again with the same caps does not resend it.
    const before = eventsIn(phone).length;
    phone.send("<presence><show>away</show></presence>");
    await phone.waitFor((el) => el.name === 'presence' && el.getChildText('show') === 'away', 3000, phone.received.length);
    await sync(phone);
    expect(eventsIn(phone).length).toBe(before);
  });

  test('retract with notify and delete are announced', async () => {
    const alice = await online('alice', 'desk');
    await announceCaps(alice, [`${MOOD}+notify`]);
    await publish(alice, MOOD, mood('gone'));
    await alice.waitFor(isEvent('alice@localhost', MOOD));
    let seen = alice.received.length;
    await ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><retract node='${MOOD}' notify='true'><item id='gone'/></retract></pubsub></iq>`);
    const retract = await alice.waitFor(isEvent('alice@localhost', MOOD), 3000, seen);
    expect(retract.getChild('event')?.getChild('items')?.getChild('retract')?.attrs.id).toBe('gone');
    seen = alice.received.length;
    await ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}#owner'><delete node='${MOOD}'/></pubsub></iq>`);
    const deleted = await alice.waitFor((el) => el.getChild('event', PUBSUB_EVENT)?.getChild('delete')?.attrs.node === MOOD, 3000, seen);
    expect(deleted.attrs.from).toBe('alice@localhost');
  });
});

describe('the capabilities cache at its shipped size', () => {
  /** `pep_caps_cache_size` as shipped. */
  const SHIPPED_CAPS_CACHE_SIZE = 1000;

  test(`${SHIPPED_CAPS_CACHE_SIZE} verified vers are remembered; the least recently used one is asked again`, async () => {
    const desk = await online('alice', 'desk');
    const phone = await online('alice', 'phone');
    await announceCaps(desk, ['urn:test:first']);
    for (let i = 1; i < SHIPPED_CAPS_CACHE_SIZE; i += 1) await announceCaps(desk, [`urn:test:f${i}`]);
    // Still cached: the first ver needs no query.
    await announceCaps(phone, ['urn:test:first'], { expectQuery: false });
    expect(phone.received.filter((el) => el.name === 'iq' && el.attrs.type === 'get')).toEqual([]);
    // One more ver evicts the least recently used (f1, the first one having just been used).
    await announceCaps(desk, ['urn:test:one-more']);
    await announceCaps(phone, ['urn:test:first'], { expectQuery: false });
    await announceCaps(phone, ['urn:test:f1']);
  }, 20_000);
});
