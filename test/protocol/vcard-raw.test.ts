/**
 * vcard-temp (XEP-0054) and vCard-based avatar hashes (XEP-0153, the server's part as XEP-0398 §4
 * puts it) over real sockets, raw XML: one's own vCard, another user's (online or not), who may
 * change it, `vcard_max_size` at its shipped value, the hash in broadcast and directed presence,
 * the client's own `<photo/>` kept, a new photo announced for clients that never said their hash,
 * and the vCard gone with its account.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, befriend, errorCondition, getRoster, isPresence, login, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const VCARD = 'vcard-temp';
const UPDATE = 'vcard-temp:x:update';
/** The shipped `vcard_max_size`. */
const MAX_SIZE = 131_072;

const fixture = rawServerPerTest();

const IMAGE = Buffer.from('coucou coucou');
const IMAGE_HASH = createHash('sha1').update(IMAGE).digest('hex');

function online(user: string, resource: string): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

/** Alice and Bob online, each with the other as a contact (both ways). */
async function contacts(): Promise<[RawClient, RawClient]> {
  const pair: RawClient[] = [];
  for (const [user, resource] of [['alice', 'desk'], ['bob', 'phone']] as const) {
    const client = fixture.track(await login(fixture.server.port, user, resource));
    await getRoster(client); // an interested resource: it gets the roster pushes befriend waits for
    client.send('<presence/>');
    await client.waitFor(isPresence(`${user}@localhost/${resource}`));
    pair.push(client);
  }
  await befriend(pair[0]!, 'alice', pair[1]!, 'bob');
  return [pair[0]!, pair[1]!];
}

function getVCard(client: RawClient, to?: string): Promise<Element> {
  const address = to === undefined ? '' : ` to='${to}'`;
  return ask(client, (id) => `<iq type='get' id='${id}'${address}><vCard xmlns='${VCARD}'/></iq>`);
}

function setVCard(client: RawClient, content: string, to?: string): Promise<Element> {
  const address = to === undefined ? '' : ` to='${to}'`;
  return ask(client, (id) => `<iq type='set' id='${id}'${address}><vCard xmlns='${VCARD}'>${content}</vCard></iq>`);
}

function photo(base64: string): string {
  return `<PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO>`;
}

/** Available presence from `from` with this `<status/>`: tells a presence a test sent from updates the server sent. */
function isStatus(from: string, status: string): (el: Element) => boolean {
  return (el) => isPresence(from)(el) && el.getChildText('status') === status;
}

/** The `<photo/>` text of a presence's update element: undefined without one, `''` when empty. */
function announcedPhoto(presence: Element): string | undefined {
  const element = presence.getChild('x', UPDATE)?.getChild('photo');
  return element === undefined ? undefined : element.getText();
}

describe('one\'s own vCard', () => {
  test('is empty until set, then read back as stored, with or without a to address', async () => {
    const alice = await online('alice', 'desk');
    const empty = await getVCard(alice);
    expect(empty.attrs.type).toBe('result');
    expect(empty.getChild('vCard', VCARD)?.children).toEqual([]);

    const set = await setVCard(alice, '<FN>Alice Liddell</FN><NICKNAME>alice</NICKNAME>');
    expect(set.attrs.type).toBe('result');
    for (const to of [undefined, 'alice@localhost']) {
      const vcard = (await getVCard(alice, to)).getChild('vCard', VCARD);
      expect({ to, fn: vcard?.getChildText('FN'), nick: vcard?.getChildText('NICKNAME') }).toEqual({ to, fn: 'Alice Liddell', nick: 'alice' });
    }
    // A set replaces the whole vCard (XEP-0054 §3.2: no partial updates).
    expect((await setVCard(alice, '<TITLE>Queen</TITLE>', 'alice@localhost')).attrs.type).toBe('result');
    const replaced = (await getVCard(alice)).getChild('vCard', VCARD);
    expect([replaced?.getChildText('TITLE'), replaced?.getChild('FN')]).toEqual(['Queen', undefined]);
  });

  test('the server and the account advertise vcard-temp', async () => {
    const alice = await online('alice', 'desk');
    for (const to of ['localhost', 'alice@localhost']) {
      const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='${to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
      const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var);
      expect({ to, features }).toEqual({ to, features: expect.arrayContaining([VCARD]) });
    }
  });
});

describe('another user\'s vCard', () => {
  test('is answered by the server, also while its owner is offline', async () => {
    const alice = fixture.track(await login(fixture.server.port, 'alice', 'desk'));
    expect((await setVCard(alice, '<FN>Alice</FN>')).attrs.type).toBe('result');
    alice.close();
    const bob = await online('bob', 'phone');
    const reply = await getVCard(bob, 'alice@localhost');
    expect(reply.attrs).toMatchObject({ type: 'result', from: 'alice@localhost', to: 'bob@localhost/phone' });
    expect(reply.getChild('vCard', VCARD)?.getChildText('FN')).toBe('Alice');
  });

  test('a user without a vCard is item-not-found, an account that does not exist service-unavailable', async () => {
    const alice = await online('alice', 'desk');
    expect(errorCondition(await getVCard(alice, 'bob@localhost'))).toBe('item-not-found');
    expect(errorCondition(await getVCard(alice, 'nobody@localhost'))).toBe('service-unavailable');
  });

  test('can not be changed by anyone else (forbidden), and stays as its owner set it', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await setVCard(alice, '<FN>Alice</FN>');
    const refused = await setVCard(bob, '<FN>Mallory</FN>', 'alice@localhost');
    expect([refused.attrs.type, errorCondition(refused), refused.getChild('error')?.attrs.type]).toEqual(['error', 'forbidden', 'auth']);
    expect((await getVCard(bob, 'alice@localhost')).getChild('vCard', VCARD)?.getChildText('FN')).toBe('Alice');
  });
});

describe('vcard_max_size', () => {
  /** What `<vCard xmlns="vcard-temp"><DESC>…</DESC></vCard>` adds around the text, as the server serialises it. */
  const OVERHEAD = '<vCard xmlns="vcard-temp"><DESC></DESC></vCard>'.length;

  /** vCard content of exactly `bytes` bytes once serialised. */
  function descOfSize(bytes: number): string {
    return `<DESC>${'d'.repeat(bytes - OVERHEAD)}</DESC>`;
  }

  async function storedDescLength(client: RawClient): Promise<number | undefined> {
    return (await getVCard(client)).getChild('vCard', VCARD)?.getChildText('DESC')?.length;
  }

  test('a vCard of the shipped limit is kept; one byte more is not-acceptable and changes nothing', async () => {
    const alice = await online('alice', 'desk');
    expect((await setVCard(alice, descOfSize(MAX_SIZE))).attrs.type).toBe('result');
    expect(await storedDescLength(alice)).toBe(MAX_SIZE - OVERHEAD);

    const refused = await setVCard(alice, descOfSize(MAX_SIZE + 1));
    expect([errorCondition(refused), refused.getChild('error')?.attrs.type]).toEqual(['not-acceptable', 'modify']);
    expect(await storedDescLength(alice)).toBe(MAX_SIZE - OVERHEAD);
  });
});

describe('avatar hash in presence (XEP-0153)', () => {
  test('contacts and the user\'s own resources see the hash of the stored photo', async () => {
    const [alice, bob] = await contacts();
    expect((await setVCard(alice, `<FN>Alice</FN>${photo(IMAGE.toString('base64'))}`)).attrs.type).toBe('result');

    const seenAlice = alice.received.length;
    const seenBob = bob.received.length;
    alice.send('<presence><show>away</show><status>one</status></presence>');
    const atBob = await bob.waitFor(isStatus('alice@localhost/desk', 'one'), 3000, seenBob);
    const echo = await alice.waitFor(isStatus('alice@localhost/desk', 'one'), 3000, seenAlice);
    expect([announcedPhoto(atBob), atBob.getChildText('show'), announcedPhoto(echo)]).toEqual([IMAGE_HASH, 'away', IMAGE_HASH]);

    // A photo with line breaks in its base64 (XEP-0153 §4.6) hashes the same image.
    const wrapped = IMAGE.toString('base64').replace(/(.{4})/g, '$1\n');
    await setVCard(alice, photo(wrapped));
    alice.send('<presence><status>two</status></presence>');
    expect(announcedPhoto(await bob.waitFor(isStatus('alice@localhost/desk', 'two'), 3000, seenBob))).toBe(IMAGE_HASH);

    // No image any more: an empty <photo/> (§4.1 rule 3).
    await setVCard(alice, '<FN>Alice</FN>');
    alice.send('<presence><status>three</status></presence>');
    expect(announcedPhoto(await bob.waitFor(isStatus('alice@localhost/desk', 'three'), 3000, seenBob))).toBe('');
  });

  test('a <photo/> the client sent is kept as sent; an <x/> without one is completed', async () => {
    const [alice, bob] = await contacts();
    await setVCard(alice, photo(IMAGE.toString('base64')));
    // [status marking the presence, what the client adds, the photo Bob must see]
    const cases: [string, string, string][] = [
      ['empty photo', `<x xmlns='${UPDATE}'><photo/></x>`, ''],
      ['own hash', `<x xmlns='${UPDATE}'><photo>0123456789abcdef0123456789abcdef01234567</photo></x>`, '0123456789abcdef0123456789abcdef01234567'],
      ['x without photo', `<x xmlns='${UPDATE}'/>`, IMAGE_HASH],
    ];
    for (const [status, update, expected] of cases) {
      const seen = bob.received.length;
      alice.send(`<presence><status>${status}</status>${update}</presence>`);
      const got = await bob.waitFor(isStatus('alice@localhost/desk', status), 3000, seen);
      expect({ status, photo: announcedPhoto(got), updates: got.getChildren('x').filter((x) => x.attrs.xmlns === UPDATE).length })
        .toEqual({ status, photo: expected, updates: 1 });
    }
  });

  test('a new photo is announced for a client that never said its hash, and only for such a client', async () => {
    const [alice, bob] = await contacts(); // both sent <presence/>, with no vCard stored: nothing added
    let seenAlice = alice.received.length;
    let seenBob = bob.received.length;
    expect((await setVCard(alice, photo(IMAGE.toString('base64')))).attrs.type).toBe('result');
    expect(announcedPhoto(await bob.waitFor(isPresence('alice@localhost/desk'), 3000, seenBob))).toBe(IMAGE_HASH);
    expect(announcedPhoto(await alice.waitFor(isPresence('alice@localhost/desk'), 3000, seenAlice))).toBe(IMAGE_HASH);

    // A client that says its own hash is trusted with it: a vCard change sends nothing for it.
    seenBob = bob.received.length;
    seenAlice = alice.received.length;
    alice.send(`<presence><status>own</status><x xmlns='${UPDATE}'><photo>${IMAGE_HASH}</photo></x></presence>`);
    await bob.waitFor(isStatus('alice@localhost/desk', 'own'), 3000, seenBob);
    await alice.waitFor(isStatus('alice@localhost/desk', 'own'), 3000, seenAlice);
    seenBob = bob.received.length;
    seenAlice = alice.received.length;
    await setVCard(alice, '<FN>No photo</FN>');
    alice.send("<message to='bob@localhost' type='chat'><body>marker</body></message>");
    await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === 'marker', 3000, seenBob);
    await sync(alice);
    expect([bob.received.slice(seenBob).filter(isPresence('alice@localhost/desk')), alice.received.slice(seenAlice).filter(isPresence('alice@localhost/desk'))])
      .toEqual([[], []]);
  });

  test('directed presence carries the hash too; a user with no vCard gets nothing added', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await setVCard(alice, photo(IMAGE.toString('base64')));
    let seen = bob.received.length;
    alice.send("<presence to='bob@localhost/phone'/>");
    expect(announcedPhoto(await bob.waitFor(isPresence('alice@localhost/desk'), 3000, seen))).toBe(IMAGE_HASH);

    seen = alice.received.length;
    bob.send("<presence to='alice@localhost/desk'/>");
    const fromBob = await alice.waitFor(isPresence('bob@localhost/phone'), 3000, seen);
    expect(fromBob.getChild('x', UPDATE)).toBeUndefined();
  });

  test('a vCard whose photo is only a URL announces nothing on the user\'s behalf', async () => {
    const alice = await online('alice', 'desk');
    await setVCard(alice, '<PHOTO><EXTVAL>https://example.org/alice.png</EXTVAL></PHOTO>');
    const seen = alice.received.length;
    alice.send('<presence/>');
    const echo = await alice.waitFor(isPresence('alice@localhost/desk'), 3000, seen);
    expect(echo.getChild('x', UPDATE)).toBeUndefined();
  });
});

test('an account removed in-band loses its vCard', async () => {
  const alice = await online('alice', 'desk');
  const bob = await online('bob', 'phone');
  await setVCard(bob, '<FN>Bob</FN>');
  expect((await getVCard(alice, 'bob@localhost')).attrs.type).toBe('result');
  const removed = await ask(bob, (id) => `<iq type='set' id='${id}' to='localhost'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
  expect(removed.attrs.type).toBe('result');
  // user-deleted is a notification: its handlers' storage work may finish after the answer.
  const deadline = Date.now() + 3000;
  let reply = await getVCard(alice, 'bob@localhost');
  while (reply.attrs.type === 'result' && Date.now() < deadline) {
    await sync(alice);
    reply = await getVCard(alice, 'bob@localhost');
  }
  expect(errorCondition(reply)).toBe('service-unavailable');
});
