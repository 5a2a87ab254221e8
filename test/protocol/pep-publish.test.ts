/**
 * PEP publishing (XEP-0163 on XEP-0060) over real sockets, raw XML: auto-created nodes, item
 * ids, reading all / by id / the latest items, publish-options preconditions, retract, purge
 * and delete, service discovery of the account, and the per-node and per-user bounds at their
 * shipped values.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { getItems, itemsOf, ownerIq, publish, publishOptions, pubsubCondition, PUBSUB } from '../helpers/pep-raw.js';

/** `pep_max_items` as shipped (Prosody's default). */
const SHIPPED_MAX_ITEMS = 256;
/** `pep_max_bytes_per_user` as shipped. */
const SHIPPED_MAX_BYTES = 1_048_576;

const fixture = rawServerPerTest();

function online(user: string, resource: string): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

const mood = (text: string, id?: string): string =>
  `<item${id === undefined ? '' : ` id='${id}'`}><mood xmlns='http://jabber.org/protocol/mood'><happy/><text>${text}</text></mood></item>`;

function publishedId(reply: Element): string | undefined {
  expect(reply.attrs.type).toBe('result');
  return reply.getChild('pubsub', PUBSUB)?.getChild('publish')?.getChild('item')?.attrs.id as string | undefined;
}

const textsOf = (reply: Element): string[] => itemsOf(reply).map((item) => item.getChild('mood')?.getChildText('text') ?? '');

describe('publishing and reading', () => {
  test('a publish creates the node; ids are generated when absent; all, by id and the latest items are returned', async () => {
    const alice = await online('alice', 'desk');
    const generated = publishedId(await publish(alice, 'http://jabber.org/protocol/mood', mood('one')));
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(publishedId(await publish(alice, 'http://jabber.org/protocol/mood', mood('two', 'second')))).toBe('second');
    expect(publishedId(await publish(alice, 'http://jabber.org/protocol/mood', mood('three', 'third')))).toBe('third');

    const all = await getItems(alice, 'alice@localhost', 'http://jabber.org/protocol/mood');
    expect(textsOf(all)).toEqual(['one', 'two', 'three']);
    expect(itemsOf(all).map((item) => item.attrs.id)).toEqual([generated, 'second', 'third']);
    const byId = await getItems(alice, 'alice@localhost', 'http://jabber.org/protocol/mood', '', "<item id='second'/>");
    expect(textsOf(byId)).toEqual(['two']);
    expect(textsOf(await getItems(alice, 'alice@localhost', 'http://jabber.org/protocol/mood', " max_items='2'"))).toEqual(['two', 'three']);

    // The same id again replaces the item, which becomes the latest.
    await publish(alice, 'http://jabber.org/protocol/mood', mood('two again', 'second'));
    expect(textsOf(await getItems(alice, 'alice@localhost', 'http://jabber.org/protocol/mood'))).toEqual(['one', 'three', 'two again']);
    // Another resource of the owner reads the same node.
    const phone = await online('alice', 'phone');
    expect(textsOf(await getItems(phone, 'alice@localhost', 'http://jabber.org/protocol/mood', " max_items='1'"))).toEqual(['two again']);
  });

  test('errors: unknown node, missing node name, another user publishing, no item, no or two payloads', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    const missing = await getItems(alice, 'alice@localhost', 'urn:test:nothing');
    expect(errorCondition(missing)).toBe('item-not-found');
    const unnamed = await ask(alice, (id) => `<iq type='get' id='${id}'><pubsub xmlns='${PUBSUB}'><items/></pubsub></iq>`);
    expect([errorCondition(unnamed), pubsubCondition(unnamed)]).toEqual(['bad-request', 'nodeid-required']);
    const foreign = await ask(bob, (id) => `<iq type='set' id='${id}' to='alice@localhost'><pubsub xmlns='${PUBSUB}'><publish node='urn:test:n'>${mood('x')}</publish></pubsub></iq>`);
    expect(errorCondition(foreign)).toBe('forbidden');
    const empty = await publish(alice, 'urn:test:n', '');
    expect([errorCondition(empty), pubsubCondition(empty)]).toEqual(['bad-request', 'item-required']);
    const bare = await publish(alice, 'urn:test:n', "<item id='x'/>");
    expect([errorCondition(bare), pubsubCondition(bare)]).toEqual(['bad-request', 'payload-required']);
    const two = await publish(alice, 'urn:test:n', "<item id='x'><a xmlns='urn:test:a'/><b xmlns='urn:test:b'/></item>");
    expect([errorCondition(two), pubsubCondition(two)]).toEqual(['bad-request', 'invalid-payload']);
  });

  test('the account advertises a PEP service and lists its nodes', async () => {
    const alice = await online('alice', 'desk');
    await publish(alice, 'urn:test:a', mood('a'));
    await publish(alice, 'urn:test:b', mood('b'));
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const query = info.getChild('query')!;
    expect(query.getChildren('identity').map((i) => `${String(i.attrs.category)}/${String(i.attrs.type)}`)).toEqual(expect.arrayContaining(['account/registered', 'pubsub/pep']));
    expect(query.getChildren('feature').map((f) => f.attrs.var)).toEqual(expect.arrayContaining([
      PUBSUB, `${PUBSUB}#publish`, `${PUBSUB}#publish-options`, `${PUBSUB}#auto-create`, `${PUBSUB}#retract-items`, `${PUBSUB}#access-whitelist`,
      // `max` is accepted as a pubsub#max_items value (see the publish-options tests below).
      `${PUBSUB}#config-node-max`,
    ]));
    const items = await ask(alice, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
    expect(items.getChild('query')?.getChildren('item').map((i) => [i.attrs.jid, i.attrs.node])).toEqual([
      ['alice@localhost', 'urn:test:a'], ['alice@localhost', 'urn:test:b'],
    ]);
  });
});

describe('publish-options (XEP-0060 §7.1.5)', () => {
  test('a new node takes the options; an existing node must match them, "max" meaning pep_max_items', async () => {
    const alice = await online('alice', 'desk');
    const omemo = 'eu.siacs.conversations.axolotl.devicelist';
    const devices = "<item id='current'><list xmlns='eu.siacs.conversations.axolotl'><device id='1'/></list></item>";
    const options = publishOptions({ 'pubsub#access_model': 'open', 'pubsub#max_items': 'max', 'pubsub#persist_items': 'true' });
    expect((await publish(alice, omemo, devices, options)).attrs.type).toBe('result');
    expect((await publish(alice, omemo, devices, options)).attrs.type).toBe('result');

    const form = await ownerIq(alice, 'get', `<configure node='${omemo}'/>`);
    const fields = form.getChild('pubsub')?.getChild('configure')?.getChild('x')?.getChildren('field') ?? [];
    const value = (name: string): string | undefined => fields.find((f) => f.attrs.var === name)?.getChildText('value') ?? undefined;
    expect([value('pubsub#access_model'), value('pubsub#max_items'), value('pubsub#persist_items')]).toEqual(['open', String(SHIPPED_MAX_ITEMS), '1']);

    const differences: Record<string, string>[] = [{ 'pubsub#access_model': 'presence' }, { 'pubsub#max_items': '10' }, { 'pubsub#persist_items': 'false' }];
    for (const differing of differences) {
      const refused = await publish(alice, omemo, devices, publishOptions(differing));
      expect([refused.attrs.type, errorCondition(refused), pubsubCondition(refused)]).toEqual(['error', 'conflict', 'precondition-not-met']);
    }
    // The refused publishes changed nothing: still one item, the node still open.
    expect(itemsOf(await getItems(alice, 'alice@localhost', omemo))).toHaveLength(1);
    const bad = await publish(alice, 'urn:test:new', mood('x'), publishOptions({ 'pubsub#max_items': String(SHIPPED_MAX_ITEMS + 1) }));
    expect(pubsubCondition(bad)).toBe('precondition-not-met');
  });
});

describe('create (XEP-0060 §8.1)', () => {
  test('a node created with a configure form has that configuration; creating it again is a conflict', async () => {
    const alice = await online('alice', 'desk');
    const form = `<configure><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${PUBSUB}#node_config</value></field><field var='pubsub#access_model'><value>open</value></field></x></configure>`;
    const create = (): Promise<Element> => ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><create node='urn:test:made'/>${form}</pubsub></iq>`);
    expect((await create()).attrs.type).toBe('result');
    expect(errorCondition(await create())).toBe('conflict');
    expect(itemsOf(await getItems(alice, 'alice@localhost', 'urn:test:made'))).toEqual([]);
    const matching = await publish(alice, 'urn:test:made', mood('x'), publishOptions({ 'pubsub#access_model': 'open' }));
    expect(matching.attrs.type).toBe('result');
  });
});

describe('retract, purge, delete', () => {
  test('retract removes an item; purge empties the node; delete removes it', async () => {
    const alice = await online('alice', 'desk');
    await publish(alice, 'urn:test:n', mood('one', 'a'));
    await publish(alice, 'urn:test:n', mood('two', 'b'));
    const retracted = await ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><retract node='urn:test:n'><item id='a'/></retract></pubsub></iq>`);
    expect(retracted.attrs.type).toBe('result');
    expect(textsOf(await getItems(alice, 'alice@localhost', 'urn:test:n'))).toEqual(['two']);
    const unknown = await ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><retract node='urn:test:n'><item id='a'/></retract></pubsub></iq>`);
    expect(errorCondition(unknown)).toBe('item-not-found');

    expect((await ownerIq(alice, 'set', "<purge node='urn:test:n'/>")).attrs.type).toBe('result');
    expect(itemsOf(await getItems(alice, 'alice@localhost', 'urn:test:n'))).toEqual([]);
    expect((await ownerIq(alice, 'set', "<delete node='urn:test:n'/>")).attrs.type).toBe('result');
    expect(errorCondition(await getItems(alice, 'alice@localhost', 'urn:test:n'))).toBe('item-not-found');
    expect(errorCondition(await ownerIq(alice, 'set', "<delete node='urn:test:n'/>"))).toBe('item-not-found');
  });
});

describe('bounds at their shipped values', () => {
  test(`a node keeps its ${SHIPPED_MAX_ITEMS} latest items (pep_max_items), and its own smaller max_items`, async () => {
    const alice = await online('alice', 'desk');
    const replies: Promise<Element>[] = [];
    for (let i = 0; i <= SHIPPED_MAX_ITEMS; i += 1) replies.push(publish(alice, 'urn:test:many', mood(`n${i}`, `i${i}`)));
    for (const reply of await Promise.all(replies)) expect(reply.attrs.type).toBe('result');
    const kept = itemsOf(await getItems(alice, 'alice@localhost', 'urn:test:many'));
    expect(kept).toHaveLength(SHIPPED_MAX_ITEMS);
    expect([kept[0]?.attrs.id, kept.at(-1)?.attrs.id]).toEqual(['i1', `i${SHIPPED_MAX_ITEMS}`]);

    for (let i = 0; i < 3; i += 1) await publish(alice, 'urn:test:few', mood(`f${i}`), publishOptions({ 'pubsub#max_items': '2' }));
    expect(textsOf(await getItems(alice, 'alice@localhost', 'urn:test:few'))).toEqual(['f1', 'f2']);
  });

  test(`a user stores at most ${SHIPPED_MAX_BYTES} bytes (pep_max_bytes_per_user); freeing space allows publishing again`, async () => {
    const alice = await online('alice', 'desk');
    const chunk = 'A'.repeat(100_000);
    const data = (id: string): string => `<item id='${id}'><data xmlns='urn:xmpp:avatar:data'>${chunk}</data></item>`;
    let refused: Element | undefined;
    let stored = 0;
    for (let i = 0; i < 12 && refused === undefined; i += 1) {
      const reply = await publish(alice, 'urn:xmpp:avatar:data', data(`d${i}`));
      if (reply.attrs.type === 'result') stored += 1;
      else refused = reply;
    }
    // Ten items of 100 kB fit in 1 MiB with their ids and configuration; the eleventh does not.
    expect(stored).toBe(10);
    expect(refused === undefined ? undefined : errorCondition(refused)).toBe('resource-constraint');
    expect(itemsOf(await getItems(alice, 'alice@localhost', 'urn:xmpp:avatar:data'))).toHaveLength(10);
    await ask(alice, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><retract node='urn:xmpp:avatar:data'><item id='d0'/></retract></pubsub></iq>`);
    expect((await publish(alice, 'urn:xmpp:avatar:data', data('again'))).attrs.type).toBe('result');
  });
});
