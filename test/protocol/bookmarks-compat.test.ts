/**
 * Bookmarks (XEP-0402) with XEP-0411 compatibility over real sockets, raw XML: what a XEP-0402
 * client publishes a XEP-0048 client reads from private XML storage and from the legacy PEP node,
 * and what a XEP-0048 client stores becomes native items (whitelist node) with notifications to
 * resources asking `urn:xmpp:bookmarks:1+notify` and `storage:bookmarks+notify`.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { coreOf } from '../../server/core/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { announceCaps, getItems, itemsOf, ownerIq, publish, publishOptions, pubsubCondition, PUBSUB_EVENT } from '../helpers/pep-raw.js';

const NATIVE = 'urn:xmpp:bookmarks:1';
const LEGACY = 'storage:bookmarks';
const PRIVATE = 'jabber:iq:private';
const NATIVE_OPTIONS = publishOptions({ 'pubsub#persist_items': 'true', 'pubsub#max_items': 'max', 'pubsub#access_model': 'whitelist' });

const fixture = rawServerPerTest();

const online = (user: string, resource: string): Promise<RawClient> => rawOnline(fixture, user, resource);

function nativeItem(room: string, name: string, nick: string, extra = ''): string {
  return `<item id='${room}'><conference xmlns='${NATIVE}' name='${name}' autojoin='true'><nick>${nick}</nick>${extra}</conference></item>`;
}

function privateGet(client: RawClient, inner = `<storage xmlns='${LEGACY}'/>`): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}'><query xmlns='${PRIVATE}'>${inner}</query></iq>`);
}

function privateSet(client: RawClient, conferences: string, extra = ''): Promise<Element> {
  return ask(client, (id) => `<iq type='set' id='${id}'><query xmlns='${PRIVATE}'><storage xmlns='${LEGACY}'>${conferences}</storage>${extra}</query></iq>`);
}

/** The legacy bookmarks as (jid, name, autojoin, nick, password) rows. */
function legacyRows(storage: Element | undefined): string[][] {
  return (storage?.getChildren('conference') ?? []).map((c) =>
    [String(c.attrs.jid), String(c.attrs.name), String(c.attrs.autojoin), c.getChildText('nick') ?? '-', c.getChildText('password') ?? '-']);
}

function privateStorageOf(reply: Element): Element | undefined {
  expect(reply.attrs.type).toBe('result');
  return reply.getChild('query', PRIVATE)?.getChild('storage', LEGACY);
}

const isNativeEvent = (kind: 'item' | 'retract' | 'purge', id?: string) => (el: Element): boolean => {
  const event = el.name === 'message' ? el.getChild('event', PUBSUB_EVENT) : undefined;
  if (kind === 'purge') return event?.getChild('purge')?.attrs.node === NATIVE;
  const items = event?.getChild('items');
  return items?.attrs.node === NATIVE && items.getChildren(kind).some((child) => id === undefined || child.attrs.id === id);
};

describe('a XEP-0402 client writes, a XEP-0048 client reads', () => {
  test('native items are read back as private-storage bookmarks and as the legacy PEP node', async () => {
    const modern = await online('alice', 'modern');
    const legacy = await online('alice', 'legacy');
    expect(legacyRows(privateStorageOf(await privateGet(legacy)))).toEqual([]);
    expect((await publish(modern, NATIVE, nativeItem('lobby@conference.localhost', 'Lobby', 'al'), NATIVE_OPTIONS)).attrs.type).toBe('result');
    const withPassword = `<item id='secret@conference.localhost'><conference xmlns='${NATIVE}' name='Secret'><nick>al</nick><password>pw</password></conference></item>`;
    expect((await publish(modern, NATIVE, withPassword, NATIVE_OPTIONS)).attrs.type).toBe('result');

    expect(legacyRows(privateStorageOf(await privateGet(legacy)))).toEqual([
      ['lobby@conference.localhost', 'Lobby', 'true', 'al', '-'],
      ['secret@conference.localhost', 'Secret', 'undefined', 'al', 'pw'],
    ]);
    const pep = await getItems(legacy, 'alice@localhost', LEGACY);
    expect(pep.attrs.type).toBe('result');
    const [current] = itemsOf(pep);
    expect(current?.attrs.id).toBe('current');
    expect(legacyRows(current?.getChild('storage', LEGACY))).toHaveLength(2);
  });

  test('the account advertises the compatibility features; a XEP-0402 v0.3 publish is refused', async () => {
    const alice = await online('alice', 'desk');
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var) ?? [];
    expect(features).toEqual(expect.arrayContaining([`${NATIVE}#compat`, `${NATIVE}#compat-pep`, 'urn:xmpp:bookmarks-conversion:0']));
    const old = await publish(alice, 'urn:xmpp:bookmarks:0', `<item id='current'><storage xmlns='urn:xmpp:bookmarks:0'/></item>`);
    expect(errorCondition(old)).toBe('not-allowed');
  });
});

describe('a XEP-0048 client writes, XEP-0402 clients see items and notifications', () => {
  test('a private-storage set publishes, changes and retracts native items, keeping extensions, and purges on empty', async () => {
    const legacy = await online('alice', 'legacy');
    const modern = await online('alice', 'modern');
    await announceCaps(modern, [`${NATIVE}+notify`]);
    // An item the legacy client will keep: its extensions must survive the legacy client's change.
    await publish(modern, NATIVE, nativeItem('keep@conference.localhost', 'Keep', 'al', `<extensions><pin xmlns='urn:test:pin'/></extensions>`), NATIVE_OPTIONS);
    await modern.waitFor(isNativeEvent('item', 'keep@conference.localhost'));

    const beforeSet = modern.received.length;
    const set = await privateSet(legacy,
      `<conference jid='keep@conference.localhost' name='Kept' autojoin='true'><nick>al</nick></conference>`
      + `<conference jid='new@conference.localhost' name='New'><nick>ally</nick><password>pw</password></conference>`
      + `<url name='site' url='https://example.org/'/>`);
    expect(set.attrs.type).toBe('result');
    const changed = await modern.waitFor(isNativeEvent('item', 'keep@conference.localhost'), 3000, beforeSet);
    expect(changed.getChild('event', PUBSUB_EVENT)?.getChild('items')?.getChild('item')?.getChild('conference')?.attrs.name).toBe('Kept');
    await modern.waitFor(isNativeEvent('item', 'new@conference.localhost'), 3000, beforeSet);

    const items = itemsOf(await getItems(modern, 'alice@localhost', NATIVE));
    expect(items.map((item) => item.attrs.id)).toEqual(['keep@conference.localhost', 'new@conference.localhost']);
    const kept = items[0]!.getChild('conference', NATIVE)!;
    expect([kept.attrs.name, kept.attrs.autojoin, kept.getChildText('nick')]).toEqual(['Kept', 'true', 'al']);
    expect(kept.getChild('extensions')?.getChild('pin', 'urn:test:pin')).toBeDefined();
    const added = items[1]!.getChild('conference', NATIVE)!;
    expect([added.attrs.name, added.attrs.autojoin, added.getChildText('nick'), added.getChildText('password')]).toEqual(['New', undefined, 'ally', 'pw']);

    // The node is private (XEP-0402 §3: whitelist) and keeps every bookmark (max_items max = 256).
    const config = await ownerIq(modern, 'get', `<configure node='${NATIVE}'/>`);
    const field = (name: string): string | undefined =>
      config.getChild('pubsub')?.getChild('configure')?.getChild('x')?.getChildren('field').find((f) => f.attrs.var === name)?.getChildText('value') ?? undefined;
    expect([field('pubsub#access_model'), field('pubsub#max_items')]).toEqual(['whitelist', '256']);

    const before = modern.received.length;
    expect((await privateSet(legacy, `<conference jid='new@conference.localhost' name='New'><nick>ally</nick><password>pw</password></conference>`)).attrs.type).toBe('result');
    await modern.waitFor(isNativeEvent('retract', 'keep@conference.localhost'), 3000, before);
    expect(itemsOf(await getItems(modern, 'alice@localhost', NATIVE)).map((item) => item.attrs.id)).toEqual(['new@conference.localhost']);
    // Unchanged rooms are not published again.
    await sync(modern);
    expect(modern.received.slice(before).filter(isNativeEvent('item'))).toEqual([]);

    expect((await privateSet(legacy, '')).attrs.type).toBe('result');
    await modern.waitFor(isNativeEvent('purge'), 3000, before);
    expect(itemsOf(await getItems(modern, 'alice@localhost', NATIVE))).toEqual([]);
    expect(legacyRows(privateStorageOf(await privateGet(legacy)))).toEqual([]);
  });

  test('a publish to the legacy PEP node converts too; legacy +notify resources get the whole storage', async () => {
    const legacy = await online('alice', 'legacy');
    const modern = await online('alice', 'modern');
    await announceCaps(legacy, [`${LEGACY}+notify`]);
    const storage = `<storage xmlns='${LEGACY}'><conference jid='pep@conference.localhost' name='Pep' autojoin='true'><nick>al</nick></conference></storage>`;
    const published = await publish(legacy, LEGACY, `<item id='current'>${storage}</item>`);
    expect(published.attrs.type).toBe('result');
    expect(itemsOf(await getItems(modern, 'alice@localhost', NATIVE)).map((item) => item.attrs.id)).toEqual(['pep@conference.localhost']);
    await legacy.waitFor((el) => el.getChild('event', PUBSUB_EVENT)?.getChild('items')?.attrs.node === LEGACY);

    const before = legacy.received.length;
    await publish(modern, NATIVE, nativeItem('other@conference.localhost', 'Other', 'al'), NATIVE_OPTIONS);
    const event = await legacy.waitFor((el) => el.getChild('event', PUBSUB_EVENT)?.getChild('items')?.attrs.node === LEGACY, 3000, before);
    const item = event.getChild('event', PUBSUB_EVENT)!.getChild('items')!.getChild('item')!;
    expect(item.attrs.id).toBe('current');
    expect(legacyRows(item.getChild('storage', LEGACY)).map((row) => row[0])).toEqual(['pep@conference.localhost', 'other@conference.localhost']);
  });
});

describe('the node configuration', () => {
  test('a native node made open by a client is made whitelist again by the next XEP-0048 set (Prosody overrides it too)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await publish(alice, NATIVE, nativeItem('open@conference.localhost', 'Open', 'al'), publishOptions({ 'pubsub#access_model': 'open' }));
    expect(itemsOf(await getItems(bob, 'alice@localhost', NATIVE))).toHaveLength(1);
    expect((await privateSet(alice, `<conference jid='closed@conference.localhost' name='Closed'/>`)).attrs.type).toBe('result');
    expect(pubsubCondition(await getItems(bob, 'alice@localhost', NATIVE))).toBe('closed-node');
  });
});

describe('what stays as it was', () => {
  test("another user reads neither the private bookmarks nor the whitelist node; other private data stays in private storage", async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await privateSet(alice, `<conference jid='lobby@conference.localhost' name='Lobby'/>`);
    const foreign = await ask(bob, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='${PRIVATE}'><storage xmlns='${LEGACY}'/></query></iq>`);
    expect(errorCondition(foreign)).toBe('forbidden');
    const node = await getItems(bob, 'alice@localhost', NATIVE);
    expect(pubsubCondition(node)).toBe('closed-node');

    // A set carrying bookmarks beside other data: the bookmarks go to PEP, the rest to private storage.
    const mixed = await privateSet(alice, `<conference jid='mixed@conference.localhost' name='Mixed'/>`, `<prefs xmlns='urn:test:prefs'>x</prefs>`);
    expect(mixed.attrs.type).toBe('result');
    expect((await privateGet(alice, `<prefs xmlns='urn:test:prefs'/>`)).getChild('query')?.getChild('prefs')?.getText()).toBe('x');
    expect(itemsOf(await getItems(alice, 'alice@localhost', NATIVE)).map((item) => item.attrs.id)).toEqual(['mixed@conference.localhost']);
    const record = await coreOf(fixture.server).storage.open<unknown>('localhost', 'private').get('alice');
    expect(Object.keys(record as object)).toEqual(['prefs:urn:test:prefs']);
  });
});

describe('limits', () => {
  test('a XEP-0048 set holds up to pep_max_items rooms (shipped 256); one more is refused, changing nothing', async () => {
    const SHIPPED_MAX_ITEMS = 256;
    const alice = await online('alice', 'desk');
    const rooms = (count: number): string => Array.from({ length: count }, (_, i) => `<conference jid='r${i}@conference.localhost' name='R${i}'/>`).join('');
    expect((await privateSet(alice, rooms(SHIPPED_MAX_ITEMS))).attrs.type).toBe('result');
    expect(itemsOf(await getItems(alice, 'alice@localhost', NATIVE))).toHaveLength(SHIPPED_MAX_ITEMS);
    const tooMany = await privateSet(alice, rooms(SHIPPED_MAX_ITEMS + 1));
    expect(errorCondition(tooMany)).toBe('resource-constraint');
    expect(legacyRows(privateStorageOf(await privateGet(alice)))).toHaveLength(SHIPPED_MAX_ITEMS);
  }, 15_000);
});

describe('bookmarks kept the old way', () => {
  test('XEP-0048 bookmarks left in private storage move into the native node at login (upgrade_legacy_bookmarks)', async () => {
    // What a server without the bookmarks module left behind: the private module's record.
    const store = coreOf(fixture.server).storage.open<unknown>('localhost', 'private');
    const old = `<storage xmlns='${LEGACY}'><conference jid='old@conference.localhost' name='Old' autojoin='true'><nick>al</nick></conference></storage>`;
    await store.set('alice', { [`storage:${LEGACY}`]: old, 'prefs:urn:test:prefs': `<prefs xmlns='urn:test:prefs'/>` });

    const alice = await online('alice', 'desk');
    expect(legacyRows(privateStorageOf(await privateGet(alice)))).toEqual([['old@conference.localhost', 'Old', 'true', 'al', '-']]);
    const items = itemsOf(await getItems(alice, 'alice@localhost', NATIVE));
    expect(items.map((item) => item.getChild('conference', NATIVE)?.attrs.name)).toEqual(['Old']);
    // Moved, not copied: the private record keeps only the other data.
    expect(await store.get('alice')).toEqual({ 'prefs:urn:test:prefs': `<prefs xmlns='urn:test:prefs'/>` });
  });
});
