/**
 * User Avatar to vCard-Based Avatars Conversion (XEP-0398, the `vcard_legacy` module) over real
 * sockets, raw XML: a User Avatar published over PEP (XEP-0084) becomes the vCard photo and its
 * hash in presence (XEP-0153); a vCard photo set over vcard-temp is published as User Avatar data
 * and metadata, which contacts asking +notify are told of; disabling either side clears the
 * other; a conversion does not come back as another one; the account advertises the conversion.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { announceCaps, getItems, isEvent, itemsOf, publish, PUBSUB_EVENT } from '../helpers/pep-raw.js';
import { ask, befriend, getRoster, isPresence, login, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { DEFAULT_USERS } from '../helpers/test-server.js';

const VCARD = 'vcard-temp';
const UPDATE = 'vcard-temp:x:update';
const DATA = 'urn:xmpp:avatar:data';
const METADATA = 'urn:xmpp:avatar:metadata';
const ALICE = 'alice@localhost';

const fixture = rawServerPerTest({ start: { users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' } } });

const image = (text: string): { base64: string; id: string; bytes: number } => {
  const bytes = Buffer.from(text);
  return { base64: bytes.toString('base64'), id: createHash('sha1').update(bytes).digest('hex'), bytes: bytes.length };
};
/** `size` bytes of an image, all different from one size to another. */
const bytesImage = (size: number): { base64: string; id: string; bytes: number } => {
  const bytes = Buffer.alloc(size, size % 251);
  return { base64: bytes.toString('base64'), id: createHash('sha1').update(bytes).digest('hex'), bytes: size };
};
const RED = image('a red square, as bytes');
const BLUE = image('a blue circle, as other bytes');

/** Alice and Bob online and contacts both ways; Bob's caps ask for avatar metadata notifications. */
async function contacts(): Promise<[RawClient, RawClient]> {
  const pair: RawClient[] = [];
  for (const [user, resource] of [['alice', 'desk'], ['bob', 'phone']] as const) {
    const client = fixture.track(await login(fixture.server.port, user, resource));
    await getRoster(client);
    client.send('<presence/>');
    await client.waitFor(isPresence(`${user}@localhost/${resource}`));
    pair.push(client);
  }
  await befriend(pair[0]!, 'alice', pair[1]!, 'bob');
  await announceCaps(pair[1]!, [`${METADATA}+notify`]);
  return [pair[0]!, pair[1]!];
}

function getVCard(client: RawClient, to?: string): Promise<Element> {
  const address = to === undefined ? '' : ` to='${to}'`;
  return ask(client, (id) => `<iq type='get' id='${id}'${address}><vCard xmlns='${VCARD}'/></iq>`);
}

function setVCard(client: RawClient, content: string): Promise<Element> {
  return ask(client, (id) => `<iq type='set' id='${id}'><vCard xmlns='${VCARD}'>${content}</vCard></iq>`);
}

/** Publishes an image the XEP-0084 way: data, then metadata. */
async function publishAvatar(client: RawClient, img: { base64: string; id: string; bytes: number }, type = 'image/png'): Promise<void> {
  expect((await publish(client, DATA, `<item id='${img.id}'><data xmlns='${DATA}'>${img.base64}</data></item>`)).attrs.type).toBe('result');
  const info = `<info id='${img.id}' bytes='${img.bytes}' type='${type}' width='64' height='64'/>`;
  expect((await publish(client, METADATA, `<item id='${img.id}'><metadata xmlns='${METADATA}'>${info}</metadata></item>`)).attrs.type).toBe('result');
}

/** Alice's available presence carrying this avatar hash (`''`: "no image"). */
function withHash(hash: string): (el: Element) => boolean {
  return (el) => isPresence(`${ALICE}/desk`)(el) && el.getChild('x', UPDATE)?.getChildText('photo') === hash;
}

const photoOf = (reply: Element): Element | undefined => reply.getChild('vCard', VCARD)?.getChild('PHOTO');
const metadataEvents = (client: RawClient, from = client.received.length): Element[] =>
  client.received.slice(from).filter(isEvent(ALICE, METADATA));
const infoOf = (event: Element): Element | undefined =>
  event.getChild('event', PUBSUB_EVENT)?.getChild('items')?.getChild('item')?.getChild('metadata', METADATA)?.getChild('info');

describe('PEP avatar → vCard', () => {
  test('the published image becomes the vCard PHOTO, other fields kept, and contacts see its hash in presence', async () => {
    const [alice, bob] = await contacts();
    expect((await setVCard(alice, '<FN>Alice Liddell</FN>')).attrs.type).toBe('result');
    const seen = bob.received.length;
    await publishAvatar(alice, RED, 'image/webp');

    const presence = await bob.waitFor(withHash(RED.id), 3000, seen);
    expect(presence.attrs.from).toBe(`${ALICE}/desk`);
    const vcard = await getVCard(bob, ALICE);
    expect(vcard.getChild('vCard', VCARD)?.getChildText('FN')).toBe('Alice Liddell');
    expect(photoOf(vcard)?.getChildText('TYPE')).toBe('image/webp');
    expect(photoOf(vcard)?.getChildText('BINVAL')).toBe(RED.base64);
  });

  test('a new image replaces the photo; metadata without <info/> (avatar disabled) removes it', async () => {
    const [alice, bob] = await contacts();
    await publishAvatar(alice, RED);
    await bob.waitFor(withHash(RED.id));
    await publishAvatar(alice, BLUE);
    await bob.waitFor(withHash(BLUE.id));
    expect(photoOf(await getVCard(alice))?.getChildText('BINVAL')).toBe(BLUE.base64);

    const seen = bob.received.length;
    await publish(alice, METADATA, `<item id='off'><metadata xmlns='${METADATA}'/></item>`);
    await bob.waitFor(withHash(''), 3000, seen);
    expect(photoOf(await getVCard(alice))).toBeUndefined();
  });

  test('metadata naming an image the data node does not hold leaves the vCard alone', async () => {
    const [alice, bob] = await contacts();
    await publishAvatar(alice, RED);
    await bob.waitFor(withHash(RED.id));
    await publish(alice, METADATA, `<item id='${BLUE.id}'><metadata xmlns='${METADATA}'><info id='${BLUE.id}' bytes='${BLUE.bytes}' type='image/png'/></metadata></item>`);
    await sync(alice);
    await sync(alice);
    expect(photoOf(await getVCard(alice))?.getChildText('BINVAL')).toBe(RED.base64);
  });
  test('an image whose vCard would pass vcard_max_size (shipped 131072 bytes) is not converted; one below it is', async () => {
    const [alice, bob] = await contacts();
    await publishAvatar(alice, RED);
    await bob.waitFor(withHash(RED.id));
    // 100 000 bytes are 133 336 in base64: over the limit. 90 000 are 120 000: under it.
    const large = bytesImage(100_000);
    await publishAvatar(alice, large);
    for (let round = 0; round < 3; round += 1) await sync(alice);
    expect(photoOf(await getVCard(alice))?.getChildText('BINVAL')).toBe(RED.base64);
    const fits = bytesImage(90_000);
    await publishAvatar(alice, fits);
    await bob.waitFor(withHash(fits.id));
    expect(photoOf(await getVCard(alice))?.getChildText('BINVAL')).toBe(fits.base64);
  });
});

describe('vCard → PEP avatar', () => {
  test('a vCard photo is published as data and metadata (id = SHA-1 of the bytes), notified to a +notify contact, readable by anyone', async () => {
    const [alice, bob] = await contacts();
    const seen = bob.received.length;
    // Line breaks in BINVAL (XEP-0153 §4.6) are not part of the data.
    const wrapped = RED.base64.replace(/(.{8})/g, '$1\n');
    expect((await setVCard(alice, `<FN>Alice</FN><PHOTO><TYPE>image/jpeg</TYPE><BINVAL>${wrapped}</BINVAL></PHOTO>`)).attrs.type).toBe('result');

    const event = await bob.waitFor(isEvent(ALICE, METADATA), 3000, seen);
    expect(event.getChild('event', PUBSUB_EVENT)?.getChild('items')?.getChild('item')?.attrs.id).toBe(RED.id);
    expect(infoOf(event)?.attrs).toMatchObject({ id: RED.id, bytes: String(RED.bytes), type: 'image/jpeg' });
    // Nodes the conversion creates are open, as Prosody's: carol, no contact of alice, reads the image.
    const carol = await rawOnline(fixture, 'carol', 'web');
    const data = itemsOf(await getItems(carol, ALICE, DATA));
    expect(data.map((item) => item.attrs.id)).toEqual([RED.id]);
    expect(data[0]?.getChildText('data', DATA)).toBe(RED.base64);
  });

  test('a vCard without PHOTO after an avatar publishes disabled metadata; a URL-only photo is not converted', async () => {
    const [alice, bob] = await contacts();
    await setVCard(alice, `<PHOTO><TYPE>image/png</TYPE><BINVAL>${RED.base64}</BINVAL></PHOTO>`);
    await bob.waitFor(isEvent(ALICE, METADATA));
    let seen = bob.received.length;
    await setVCard(alice, '<FN>Alice</FN>');
    const disabled = await bob.waitFor(isEvent(ALICE, METADATA), 3000, seen);
    const metadata = disabled.getChild('event', PUBSUB_EVENT)?.getChild('items')?.getChild('item')?.getChild('metadata', METADATA);
    expect(metadata).toBeDefined();
    expect(metadata?.getChildren('info')).toEqual([]);

    seen = bob.received.length;
    await setVCard(alice, '<PHOTO><EXTVAL>https://example.org/alice.png</EXTVAL></PHOTO>');
    await sync(alice);
    await sync(bob);
    expect(metadataEvents(bob, seen)).toEqual([]);
  });
});

describe('no loops', () => {
  test('a vCard set is published once, and the same photo set again is not published again', async () => {
    const [alice, bob] = await contacts();
    const seen = bob.received.length;
    await setVCard(alice, `<PHOTO><TYPE>image/png</TYPE><BINVAL>${BLUE.base64}</BINVAL></PHOTO>`);
    await bob.waitFor(isEvent(ALICE, METADATA), 3000, seen);
    await setVCard(alice, `<FN>Alice</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${BLUE.base64}</BINVAL></PHOTO>`);
    for (let round = 0; round < 3; round += 1) await sync(alice);
    await sync(bob);
    expect(metadataEvents(bob, seen)).toHaveLength(1);
    expect(itemsOf(await getItems(alice, ALICE, DATA)).map((item) => item.attrs.id)).toEqual([BLUE.id]);
    // The converted metadata did not come back as a second vCard change: the FN set after it stays.
    expect((await getVCard(alice)).getChild('vCard', VCARD)?.getChildText('FN')).toBe('Alice');
  });

  test('a PEP publish changes presence once and is not published back', async () => {
    const [alice, bob] = await contacts();
    const seen = bob.received.length;
    await publishAvatar(alice, RED);
    await bob.waitFor(withHash(RED.id), 3000, seen);
    for (let round = 0; round < 3; round += 1) await sync(alice);
    await sync(bob);
    expect(bob.received.slice(seen).filter(withHash(RED.id))).toHaveLength(1);
    expect(metadataEvents(bob, seen)).toHaveLength(1);
    expect(itemsOf(await getItems(alice, ALICE, METADATA))).toHaveLength(1);
  });
});

test("the account's disco#info advertises the conversion (XEP-0398 §3)", async () => {
  const alice = await rawOnline(fixture, 'alice', 'desk');
  const reply = await ask(alice, (id) => `<iq type='get' id='${id}' to='${ALICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
  const features = reply.getChild('query')?.getChildren('feature').map((f) => f.attrs.var) ?? [];
  expect(features).toContain('urn:xmpp:pep-vcard-conversion:0');
});
