/** Offline messages (XEP-0160, XEP-0203) over real sockets. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition, isPresence, login, sync } from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = await startTestServer({ globals: { offline_max_messages: 3 } });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function connect(user: string, resource: string): Promise<RawClient> {
  const client = await login(server.port, user, resource);
  clients.push(client);
  return client;
}

/** Sends initial presence and waits until the server has handed over everything for this login. */
async function goOnline(client: RawClient, jid: string, priority = 0): Promise<void> {
  client.send(`<presence><priority>${priority}</priority></presence>`);
  await client.waitFor(isPresence(jid));
  await sync(client);
}

function bodies(client: RawClient): string[] {
  return client.received.filter((el) => el.name === 'message' && el.attrs.type !== 'error').map((el) => el.getChildText('body') ?? '');
}

function message(to: string, body: string, type = 'chat', id = ''): string {
  return `<message to='${to}' type='${type}'${id === '' ? '' : ` id='${id}'`}><body>${body}</body></message>`;
}

async function errorFor(client: RawClient, id: string): Promise<Element> {
  return client.waitFor((el) => el.name === 'message' && el.attrs.id === id && el.attrs.type === 'error');
}

describe('offline messages', () => {
  test('kept while bob is offline, delivered at login with a delay stamp, and never twice', async () => {
    const alice = await connect('alice', 'desk');
    alice.send(message('bob@localhost', 'first'));
    alice.send(message('bob@localhost/gone', 'to a resource', 'normal'));
    await sync(alice);

    const bob = await connect('bob', 'phone');
    await goOnline(bob, 'bob@localhost/phone');
    expect(bodies(bob)).toEqual(['first', 'to a resource']);
    const delivered = bob.received.find((el) => el.name === 'message')!;
    expect(delivered.attrs.from).toBe('alice@localhost/desk');
    const delay = delivered.getChild('delay', 'urn:xmpp:delay');
    expect(delay?.attrs.from).toBe('localhost');
    expect(String(delay?.attrs.stamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const tablet = await connect('bob', 'tablet');
    await goOnline(tablet, 'bob@localhost/tablet');
    expect(bodies(tablet)).toEqual([]);
    bob.close();
    tablet.close();
    const later = await connect('bob', 'later');
    await goOnline(later, 'bob@localhost/later');
    expect(bodies(later)).toEqual([]);
  });

  test('two resources coming online together share one delivery', async () => {
    const alice = await connect('alice', 'desk');
    for (const body of ['a', 'b']) alice.send(message('bob@localhost', body));
    await sync(alice);
    const [one, two] = await Promise.all([connect('bob', 'one'), connect('bob', 'two')]);
    one!.send('<presence/>');
    two!.send('<presence/>');
    await Promise.all([one!.waitFor(isPresence('bob@localhost/one')), two!.waitFor(isPresence('bob@localhost/two'))]);
    await Promise.all([sync(one!), sync(two!)]);
    expect([...bodies(one!), ...bodies(two!)].sort()).toEqual(['a', 'b']);
  });

  test('a resource with negative priority gets nothing until its priority is non-negative', async () => {
    const alice = await connect('alice', 'desk');
    alice.send(message('bob@localhost', 'wait for me'));
    await sync(alice);
    const bob = await connect('bob', 'phone');
    await goOnline(bob, 'bob@localhost/phone', -1);
    expect(bodies(bob)).toEqual([]);
    // A chat message to the bare JID is still kept: a negative priority takes none (RFC 6121 §4.7.2.3).
    alice.send(message('bob@localhost', 'second'));
    await sync(alice);
    await goOnline(bob, 'bob@localhost/phone', 1);
    expect(bodies(bob)).toEqual(['wait for me', 'second']);
  });

  test('headline, groupchat and error messages are not kept', async () => {
    const alice = await connect('alice', 'desk');
    alice.send(message('bob@localhost', 'news', 'headline'));
    alice.send(message('bob@localhost', 'room', 'groupchat', 'gc1'));
    alice.send(message('bob@localhost', 'oops', 'error'));
    expect(errorCondition(await errorFor(alice, 'gc1'))).toBe('service-unavailable');
    const bob = await connect('bob', 'phone');
    await goOnline(bob, 'bob@localhost/phone');
    expect(bodies(bob)).toEqual([]);
  });

  test('a message to an account that does not exist bounces with service-unavailable', async () => {
    const alice = await connect('alice', 'desk');
    alice.send(message('nobody@localhost', 'hello?', 'chat', 'm1'));
    expect(errorCondition(await errorFor(alice, 'm1'))).toBe('service-unavailable');
  });

  test('past offline_max_messages a message is refused with resource-constraint (as ejabberd)', async () => {
    const alice = await connect('alice', 'desk');
    for (const body of ['1', '2', '3']) alice.send(message('bob@localhost', body));
    alice.send(message('bob@localhost', '4', 'chat', 'over'));
    const refused = await errorFor(alice, 'over');
    expect(errorCondition(refused)).toBe('resource-constraint');
    expect(refused.getChild('error')?.attrs.type).toBe('wait');
    const bob = await connect('bob', 'phone');
    await goOnline(bob, 'bob@localhost/phone');
    expect(bodies(bob)).toEqual(['1', '2', '3']);
  });

  test('past offline_max_bytes (shipped value, 1 MiB) a message is refused with resource-constraint', async () => {
    // This test needs the shipped bounds, not the count of 3 set for the others.
    await server.stop();
    server = await startTestServer();
    const alice = await connect('alice', 'desk');
    // Four messages of 250,000 characters fit in 1 MiB with their markup; a fifth does not.
    const big = (n: number): string => `${n}${'x'.repeat(250_000)}`;
    for (const n of [1, 2, 3, 4]) alice.send(message('bob@localhost', big(n), 'chat', `big${n}`));
    alice.send(message('bob@localhost', big(5), 'chat', 'big5'));
    const refused = await errorFor(alice, 'big5');
    expect(errorCondition(refused)).toBe('resource-constraint');
    expect(refused.getChild('error')?.attrs.type).toBe('wait');
    // A small one still fits under the bytes left, and the count bound (100) is far.
    alice.send(message('bob@localhost', 'small', 'chat', 'small'));
    await sync(alice);
    expect(alice.received.filter((el) => el.attrs.type === 'error').map((el) => el.attrs.id)).toEqual(['big5']);
    const bob = await connect('bob', 'phone');
    await goOnline(bob, 'bob@localhost/phone');
    expect(bodies(bob).map((body) => body.slice(0, 1) + body.length)).toEqual(['1250001', '2250001', '3250001', '4250001', 's5']);
  });

  test('the host advertises msgoffline', async () => {
    const alice = await connect('alice', 'desk');
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var);
    expect(features).toContain('msgoffline');
  });
});
