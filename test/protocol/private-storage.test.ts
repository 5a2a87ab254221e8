/**
 * Private XML Storage (XEP-0049) over real sockets, raw XML: storing and reading fragments by
 * namespace, the errors the XEP names, other users refused, the per-user byte limit at its
 * shipped value, and the data removed with the account.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { coreOf } from '../../server/core/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const PRIVATE = 'jabber:iq:private';
/** `private_max_bytes` as shipped. */
const SHIPPED_PRIVATE_MAX_BYTES = 1_048_576;

const fixture = rawServerPerTest();

function online(user: string, resource: string): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

function privateIq(client: RawClient, type: 'get' | 'set', payload: string, to = ''): Promise<Element> {
  const toAttr = to === '' ? '' : ` to='${to}'`;
  return ask(client, (id) => `<iq type='${type}' id='${id}'${toAttr}><query xmlns='${PRIVATE}'>${payload}</query></iq>`);
}

/** The single fragment of a get result. */
function fragmentOf(reply: Element): Element | undefined {
  expect(reply.attrs.type).toBe('result');
  const children = reply.getChild('query', PRIVATE)?.children.filter((c): c is Element => typeof c !== 'string') ?? [];
  expect(children).toHaveLength(1);
  return children[0];
}

describe('storing and reading', () => {
  test('a fragment set by one resource is returned to another; nothing stored returns the empty element', async () => {
    const desk = await online('alice', 'desk');
    const phone = await online('alice', 'phone');
    const info = await ask(desk, (id) => `<iq type='get' id='${id}' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    expect(info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var)).toContain(PRIVATE);

    const empty = fragmentOf(await privateIq(phone, 'get', "<exodus xmlns='exodus:prefs'/>"));
    expect(empty?.toString()).toBe('<exodus xmlns="exodus:prefs"/>');

    const stored = await privateIq(desk, 'set', "<exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus>");
    expect({ type: stored.attrs.type, children: stored.children.length }).toEqual({ type: 'result', children: 0 });
    const read = fragmentOf(await privateIq(phone, 'get', "<exodus xmlns='exodus:prefs'/>"));
    expect(read?.getChildText('defaultnick')).toBe('Hamlet');

    // The same namespace under another element name is another fragment.
    expect(fragmentOf(await privateIq(phone, 'get', "<other xmlns='exodus:prefs'/>"))?.children).toEqual([]);

    // Storing the empty element forgets the fragment.
    expect((await privateIq(phone, 'set', "<exodus xmlns='exodus:prefs'/>")).attrs.type).toBe('result');
    expect(fragmentOf(await privateIq(desk, 'get', "<exodus xmlns='exodus:prefs'/>"))?.children).toEqual([]);
  });

  test('a set may store several namespaces at once; each is read on its own, and addressing the own bare JID works', async () => {
    const alice = await online('alice', 'desk');
    const set = await privateIq(alice, 'set',
      "<storage xmlns='storage:bookmarks'><conference jid='room@conference.localhost' autojoin='true'><nick>al</nick></conference></storage>"
      + "<storage xmlns='storage:rosternotes'><note jid='bob@localhost'>met at the fair</note></storage>", 'alice@localhost');
    expect(set.attrs.type).toBe('result');
    const bookmarks = fragmentOf(await privateIq(alice, 'get', "<storage xmlns='storage:bookmarks'/>", 'alice@localhost'));
    expect(bookmarks?.getChild('conference')?.attrs).toEqual({ jid: 'room@conference.localhost', autojoin: 'true' });
    const notes = fragmentOf(await privateIq(alice, 'get', "<storage xmlns='storage:rosternotes'/>"));
    expect(notes?.getChildText('note')).toBe('met at the fair');
  });
});

describe('refusals', () => {
  test.each([
    ['get', 'an empty query', ''],
    ['set', 'an empty query', ''],
    ['get', 'two namespaces in one get', "<a xmlns='urn:test:a'/><b xmlns='urn:test:b'/>"],
    ['set', 'a child without a namespace of its own', '<prefs/>'],
    ['set', 'a jabber:client child', "<message xmlns='jabber:client'/>"],
    ['get', 'a reserved jabber: namespace', "<query xmlns='jabber:iq:roster'/>"],
    ['set', 'vcard-temp', "<vCard xmlns='vcard-temp'><FN>Hamlet</FN></vCard>"],
    ['set', 'one fragment twice', "<s xmlns='urn:test:a'>1</s><s xmlns='urn:test:a'>2</s>"],
  ])('%s with %s is not-acceptable', async (type, _what, payload) => {
    const alice = await online('alice', 'desk');
    const reply = await privateIq(alice, type as 'get' | 'set', payload);
    expect({ type: reply.attrs.type, condition: errorCondition(reply), errorType: reply.getChild('error')?.attrs.type })
      .toEqual({ type: 'error', condition: 'not-acceptable', errorType: 'modify' });
  });

  test('another user can neither read nor write a user\'s private data (forbidden)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'desk');
    expect((await privateIq(alice, 'set', "<secret xmlns='urn:test:secret'>alice's</secret>")).attrs.type).toBe('result');
    const read = await privateIq(bob, 'get', "<secret xmlns='urn:test:secret'/>", 'alice@localhost');
    expect({ type: read.attrs.type, condition: errorCondition(read) }).toEqual({ type: 'error', condition: 'forbidden' });
    expect(read.getChild('query', PRIVATE)).toBeUndefined();
    const write = await privateIq(bob, 'set', "<secret xmlns='urn:test:secret'>bob's</secret>", 'alice@localhost');
    expect({ type: write.attrs.type, condition: errorCondition(write) }).toEqual({ type: 'error', condition: 'forbidden' });
    expect(fragmentOf(await privateIq(alice, 'get', "<secret xmlns='urn:test:secret'/>"))?.getText()).toBe("alice's");
    // Bob's own storage is his, and empty.
    expect(fragmentOf(await privateIq(bob, 'get', "<secret xmlns='urn:test:secret'/>"))?.children).toEqual([]);
  });
});

/** What a fragment `<name xmlns='urn:test:big'>content</name>` costs: its key and its XML, in bytes. */
function fragmentCost(name: string, contentBytes: number): number {
  const key = `${name}:urn:test:big`;
  const xml = `<${name} xmlns="urn:test:big">${'x'.repeat(contentBytes)}</${name}>`;
  return Buffer.byteLength(key) + Buffer.byteLength(xml);
}

describe('limits', () => {
  test('a user stores exactly private_max_bytes (shipped 1 MiB); one byte more is refused until something is deleted', async () => {
    const alice = await online('alice', 'desk');
    // Five fragments, each under the stanza size limit (256 KiB), adding up to the limit exactly.
    const names = ['f1', 'f2', 'f3', 'f4', 'f5'];
    const overhead = fragmentCost('f1', 0);
    const content = Math.floor((SHIPPED_PRIVATE_MAX_BYTES - overhead * names.length) / names.length);
    const sizes = names.map(() => content);
    sizes[4]! += SHIPPED_PRIVATE_MAX_BYTES - names.reduce((total, name, i) => total + fragmentCost(name, sizes[i]!), 0);
    expect(names.reduce((total, name, i) => total + fragmentCost(name, sizes[i]!), 0)).toBe(SHIPPED_PRIVATE_MAX_BYTES);
    for (const [i, name] of names.entries()) {
      const reply = await privateIq(alice, 'set', `<${name} xmlns='urn:test:big'>${'x'.repeat(sizes[i]!)}</${name}>`);
      expect({ name, type: reply.attrs.type }).toEqual({ name, type: 'result' });
    }
    // One byte more: refused, and nothing of the set is kept.
    const over = await privateIq(alice, 'set', `<f5 xmlns='urn:test:big'>${'x'.repeat(sizes[4]! + 1)}</f5><tiny xmlns='urn:test:small'/>`);
    expect({ type: over.attrs.type, condition: errorCondition(over) }).toEqual({ type: 'error', condition: 'resource-constraint' });
    expect(fragmentOf(await privateIq(alice, 'get', "<f5 xmlns='urn:test:big'/>"))?.getText()).toHaveLength(sizes[4]!);
    // A new small fragment does not fit either; after deleting one it does.
    const small = "<note xmlns='urn:test:small'>hi</note>";
    expect(errorCondition(await privateIq(alice, 'set', small))).toBe('resource-constraint');
    expect((await privateIq(alice, 'set', "<f1 xmlns='urn:test:big'/>")).attrs.type).toBe('result');
    expect((await privateIq(alice, 'set', small)).attrs.type).toBe('result');
    expect(fragmentOf(await privateIq(alice, 'get', "<note xmlns='urn:test:small'/>"))?.getText()).toBe('hi');
  }, 15_000);
});

describe('account removal', () => {
  test('an account removed in-band loses its private data', async () => {
    const bob = await online('bob', 'phone');
    // Not bookmarks: with the bookmarks module (on by default) those live in PEP (XEP-0411).
    expect((await privateIq(bob, 'set', "<storage xmlns='storage:rosternotes'><note jid='r@localhost'>n</note></storage>")).attrs.type).toBe('result');
    const store = coreOf(fixture.server).storage.open<unknown>('localhost', 'private');
    expect(await store.get('bob')).toBeDefined();
    const removed = await ask(bob, (id) => `<iq type='set' id='${id}' to='localhost'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
    expect(removed.attrs.type).toBe('result');
    // user-deleted is a notification: wait for its handlers' storage work.
    const deadline = Date.now() + 3000;
    while ((await store.get('bob')) !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.get('bob')).toBeUndefined();
  });
});
