/**
 * PEP access models (XEP-0060 §4.5, XEP-0163 §4.1) and node configuration (§8.2) over real
 * sockets, raw XML: presence (the default), open, roster groups and whitelist, applied to item
 * requests, to the nodes disco#items lists and to notifications; the owner's configure form.
 */
import { describe, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, befriend, errorCondition, getRoster, ROSTER, sync } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { DEFAULT_USERS } from '../helpers/test-server.js';
import { announceCaps, getItems, isEvent, itemsOf, ownerIq, publish, publishOptions, pubsubCondition, PUBSUB_EVENT } from '../helpers/pep-raw.js';

const NODE = 'urn:test:status';

const fixture = rawServerPerTest({ start: { users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' } } });

async function online(user: string, resource: string): Promise<RawClient> {
  const client = await rawOnline(fixture, user, resource);
  await getRoster(client);
  return client;
}

const item = (text: string): string => `<item id='${text}'><status xmlns='urn:test:status'>${text}</status></item>`;

function configureForm(fields: Record<string, string | string[]>): string {
  const body = Object.entries(fields).map(([name, value]) =>
    `<field var='${name}'>${(Array.isArray(value) ? value : [value]).map((v) => `<value>${v}</value>`).join('')}</field>`).join('');
  return `<configure node='${NODE}'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#node_config</value></field>${body}</x></configure>`;
}

async function setGroup(owner: RawClient, contact: string, group: string): Promise<void> {
  const reply = await ask(owner, (id) => `<iq type='set' id='${id}'><query xmlns='${ROSTER}'><item jid='${contact}'><group>${group}</group></item></query></iq>`);
  expect(reply.attrs.type).toBe('result');
}

async function nodesListedTo(client: RawClient): Promise<string[]> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
  return reply.getChild('query')?.getChildren('item').map((i) => String(i.attrs.node)) ?? [];
}

describe('access models', () => {
  test('presence (the default): contacts subscribed to the owner read; others get presence-subscription-required', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    const carol = await online('carol', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    await publish(alice, NODE, item('hello'));
    expect(itemsOf(await getItems(bob, 'alice@localhost', NODE)).map((i) => i.attrs.id)).toEqual(['hello']);
    const refused = await getItems(carol, 'alice@localhost', NODE);
    expect([refused.getChild('error')?.attrs.type, errorCondition(refused), pubsubCondition(refused)]).toEqual(['auth', 'not-authorized', 'presence-subscription-required']);
    expect(await nodesListedTo(bob)).toEqual([NODE]);
    expect(await nodesListedTo(carol)).toEqual([]);
  });

  test('open: anyone reads', async () => {
    const alice = await online('alice', 'desk');
    const carol = await online('carol', 'desk');
    await publish(alice, NODE, item('public'), publishOptions({ 'pubsub#access_model': 'open' }));
    expect(itemsOf(await getItems(carol, 'alice@localhost', NODE))).toHaveLength(1);
    expect(await nodesListedTo(carol)).toEqual([NODE]);
  });

  test('roster: only contacts in an allowed group read', async () => {
    const alice = await online('alice', 'desk');
    const carol = await online('carol', 'desk');
    await publish(alice, NODE, item('friends only'));
    const configured = await ownerIq(alice, 'set', configureForm({ 'pubsub#access_model': 'roster', 'pubsub#roster_groups_allowed': ['Friends'] }));
    expect(configured.attrs.type).toBe('result');
    await setGroup(alice, 'carol@localhost', 'Work');
    const refused = await getItems(carol, 'alice@localhost', NODE);
    expect([errorCondition(refused), pubsubCondition(refused)]).toEqual(['not-authorized', 'not-in-roster-group']);
    await setGroup(alice, 'carol@localhost', 'Friends');
    expect(itemsOf(await getItems(carol, 'alice@localhost', NODE))).toHaveLength(1);
  });

  test('whitelist: only the owner reads, and subscribed contacts are not notified', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    await befriend(alice, 'alice', bob, 'bob');
    await announceCaps(bob, [`${NODE}+notify`]);
    await announceCaps(alice, [`${NODE}+notify`], { expectQuery: false });
    await publish(alice, NODE, item('secret'), publishOptions({ 'pubsub#access_model': 'whitelist' }));
    await alice.waitFor(isEvent('alice@localhost', NODE));
    const refused = await getItems(bob, 'alice@localhost', NODE);
    expect([errorCondition(refused), pubsubCondition(refused)]).toEqual(['not-allowed', 'closed-node']);
    expect(itemsOf(await getItems(alice, 'alice@localhost', NODE))).toHaveLength(1);
    await sync(bob);
    expect(bob.received.filter((el) => el.getChild('event', PUBSUB_EVENT) !== undefined)).toEqual([]);
  });
});

describe('node configuration (XEP-0060 §8.2)', () => {
  test('the owner reads the form and changes max_items; older items go; others may not configure', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    for (const text of ['a', 'b', 'c']) await publish(alice, NODE, item(text));
    const form = await ownerIq(alice, 'get', `<configure node='${NODE}'/>`);
    const fields = form.getChild('pubsub')?.getChild('configure')?.getChild('x')?.getChildren('field') ?? [];
    expect(fields.map((f) => f.attrs.var)).toEqual(expect.arrayContaining(['FORM_TYPE', 'pubsub#access_model', 'pubsub#max_items', 'pubsub#persist_items', 'pubsub#roster_groups_allowed']));
    expect(fields.find((f) => f.attrs.var === 'pubsub#access_model')?.getChildText('value')).toBe('presence');

    expect((await ownerIq(alice, 'set', configureForm({ 'pubsub#max_items': '1' }))).attrs.type).toBe('result');
    expect(itemsOf(await getItems(alice, 'alice@localhost', NODE)).map((i) => i.attrs.id)).toEqual(['c']);
    const invalid = await ownerIq(alice, 'set', configureForm({ 'pubsub#access_model': 'everyone' }));
    expect(errorCondition(invalid)).toBe('not-acceptable');
    const foreign = await ask(bob, (id) => `<iq type='get' id='${id}' to='alice@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='${NODE}'/></pubsub></iq>`);
    expect(errorCondition(foreign)).toBe('forbidden');
    const defaults = await ownerIq(alice, 'get', '<default/>');
    expect(defaults.getChild('pubsub')?.getChild('default')?.getChild('x')?.getChildren('field').find((f) => f.attrs.var === 'pubsub#max_items')?.getChildText('value')).toBe('256');
  });
});
