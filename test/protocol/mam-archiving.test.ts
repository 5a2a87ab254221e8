/**
 * User archives (XEP-0313) and stanza ids (XEP-0359) over real sockets: what is archived in both
 * directions, the stanza id on delivered and offline messages, forged ids, hints, account removal.
 */
import { describe, expect, test } from '@jest/globals';
import { VirtualHost } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { rawLogin } from '../helpers/raw-login.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, isPresence, sync } from '../helpers/roster-raw.js';
import { bodiesOf, forwarded, MAM, queryArchive, SID, stanzaIds, idsOf } from '../helpers/mam-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const fixture = rawServerPerTest();

function connect(user: string, resource: string): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

function received(client: RawClient, body: string) {
  return client.waitFor((el) => el.name === 'message' && el.getChildText('body') === body);
}

describe('archiving', () => {
  test('a chat is archived for both parties; the delivered message carries the recipient archive id; origin-id comes back', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hello bob</body><origin-id xmlns='urn:xmpp:sid:0' id='origin-1'/></message>");
    const delivered = await received(bob, 'hello bob');
    const [stanzaId] = stanzaIds(delivered, 'bob@localhost');
    expect(stanzaId).toMatch(/^[0-9a-v]{22}$/);
    // The sender's own archive id does not leak to the recipient.
    expect(stanzaIds(delivered, 'alice@localhost')).toEqual([]);
    bob.send("<message to='alice@localhost/desk' type='chat'><body>hi alice</body></message>");
    await received(alice, 'hi alice');

    const bobs = await queryArchive(bob);
    expect(bodiesOf(bobs)).toEqual(['hello bob', 'hi alice']);
    expect(idsOf(bobs)[0]).toBe(stanzaId);
    const first = bobs.results[0]!;
    expect(first.attrs.to).toBe('bob@localhost/phone');
    const result = first.getChild('result', MAM)!;
    const stamp = result.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('delay', 'urn:xmpp:delay')?.attrs.stamp;
    expect(Math.abs(Date.parse(String(stamp)) - Date.now())).toBeLessThan(10_000);
    const original = forwarded(first);
    expect(original.attrs.xmlns).toBe('jabber:client');
    expect(original.attrs.from).toBe('alice@localhost/desk');
    expect(original.getChild('origin-id', SID)?.attrs.id).toBe('origin-1');

    const alices = await queryArchive(alice, { with: 'bob@localhost' });
    expect(bodiesOf(alices)).toEqual(['hello bob', 'hi alice']);
    expect(forwarded(alices.results[0]!).attrs.to).toBe('bob@localhost');
    expect(forwarded(alices.results[0]!).getChild('origin-id', SID)?.attrs.id).toBe('origin-1');
  });

  test('a message kept offline carries its stanza id when handed over', async () => {
    const alice = await connect('alice', 'desk');
    alice.send("<message to='bob@localhost' type='chat'><body>while you were out</body></message>");
    await sync(alice);
    const bob = await connect('bob', 'later');
    const delivered = await received(bob, 'while you were out');
    const ids = stanzaIds(delivered, 'bob@localhost');
    expect(ids).toHaveLength(1);
    expect(idsOf(await queryArchive(bob))).toEqual(ids);
  });

  test('a message to a resource that is gone is re-routed to the bare JID and archived once', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    alice.send("<message to='bob@localhost/gone' type='chat'><body>rerouted</body></message>");
    const delivered = await received(bob, 'rerouted');
    expect(stanzaIds(delivered, 'bob@localhost')).toHaveLength(1);
    expect(bodiesOf(await queryArchive(bob))).toEqual(['rerouted']);
  });

  test('a message to an account that does not exist is in the sender’s archive only', async () => {
    const alice = await connect('alice', 'desk');
    alice.send("<message to='nobody@localhost' type='chat' id='lost'><body>anyone?</body></message>");
    const bounce = await alice.waitFor((el) => el.name === 'message' && el.attrs.id === 'lost' && el.attrs.type === 'error');
    expect(bounce.getChild('error')?.getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
    const archive = coreOf(fixture.server).storage.openArchive('localhost', 'archive');
    const nobody = await archive.query('nobody@localhost', { limit: 10 });
    expect(typeof nobody !== 'string' && nobody.items.length).toBe(0);
    expect(bodiesOf(await queryArchive(alice))).toEqual(['anyone?']);
  });

  test('between two VirtualHosts each party’s archive keeps the message once', async () => {
    await fixture.stop();
    await fixture.start({
      hosts: [VirtualHost('localhost'), VirtualHost('other.localhost')],
      users: { 'alice@localhost': 'alice-secret', 'dora@other.localhost': 'dora-secret' },
    });
    const alice = await connect('alice', 'desk');
    const dora = await rawLogin(fixture.server.port, 'dora@other.localhost', 'dora-secret', 'pad');
    fixture.track(dora);
    dora.send('<presence/>');
    await dora.waitFor(isPresence('dora@other.localhost/pad'));
    alice.send("<message to='dora@other.localhost' type='chat'><body>across hosts</body></message>");
    const delivered = await received(dora, 'across hosts');
    expect(stanzaIds(delivered, 'dora@other.localhost')).toHaveLength(1);
    expect(stanzaIds(delivered, 'alice@localhost')).toEqual([]);
    expect(bodiesOf(await queryArchive(dora))).toEqual(['across hosts']);
    expect(bodiesOf(await queryArchive(alice))).toEqual(['across hosts']);
  });

  test('a stanza id forged in the recipient archive name is removed; other archives’ ids stay', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    alice.send(
      "<message to='bob@localhost' type='chat'><body>forged</body>" +
        "<stanza-id xmlns='urn:xmpp:sid:0' id='forged-id' by='bob@localhost'/>" +
        "<stanza-id xmlns='urn:xmpp:sid:0' id='room-id' by='room@conference.localhost'/></message>",
    );
    const delivered = await received(bob, 'forged');
    const ids = stanzaIds(delivered, 'bob@localhost');
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe('forged-id');
    expect(stanzaIds(delivered, 'room@conference.localhost')).toEqual(['room-id']);
    // Not kept in the archive either.
    const archived = forwarded((await queryArchive(bob)).results[0]!);
    expect(stanzaIds(archived, 'bob@localhost')).toEqual([]);
  });

  test('a forged id is removed even from a message the archive does not keep', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    alice.send("<message to='bob@localhost' type='headline'><body>news</body><stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='bob@localhost'/></message>");
    const delivered = await received(bob, 'news');
    expect(stanzaIds(delivered, 'bob@localhost')).toEqual([]);
    expect(bodiesOf(await queryArchive(bob))).toEqual([]);
  });

  test('hints, chat states, groupchat and errors: what is kept and what is not', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    const sends = [
      "<message to='bob@localhost' type='chat'><body>no-store</body><no-store xmlns='urn:xmpp:hints'/></message>",
      "<message to='bob@localhost' type='chat'><body>no-permanent-store</body><no-permanent-store xmlns='urn:xmpp:hints'/></message>",
      "<message to='bob@localhost' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>",
      "<message to='bob@localhost' type='chat'><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'/></encrypted><store xmlns='urn:xmpp:hints'/></message>",
      "<message to='bob@localhost' type='chat'><thing xmlns='urn:example'/><store xmlns='urn:xmpp:hints'/></message>",
      "<message to='bob@localhost' type='chat'><thing xmlns='urn:example'/></message>",
      "<message to='bob@localhost' type='chat'><body>typed</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>",
      "<message to='bob@localhost' type='normal'><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='2'/></encrypted></message>",
      "<message to='bob@localhost/phone' type='groupchat'><body>groupchat</body></message>",
      "<message to='bob@localhost' type='error'><body>error</body></message>",
      "<message to='bob@localhost' type='headline'><body>headline</body></message>",
    ];
    for (const xml of sends) alice.send(xml);
    await sync(alice);
    await sync(bob);
    const archived = (await queryArchive(bob)).results.map((r) => forwarded(r));
    const shapes = archived.map((m) => m.getChildText('body') ?? m.children.filter((c) => typeof c !== 'string').map((c) => (c as { name: string }).name).join('+'));
    expect(shapes).toEqual(['encrypted+store', 'thing+store', 'typed', 'encrypted']);
    // Chat states are not kept in the archived copy.
    expect(archived[2]!.getChild('active', 'http://jabber.org/protocol/chatstates')).toBeUndefined();
    // The sender's archive follows the same rules.
    expect((await queryArchive(alice)).results).toHaveLength(4);
  });

  test('an account removed in-band loses its archive and prefs', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    await ask(bob, (id) => `<iq type='set' id='${id}'><prefs xmlns='${MAM}' default='roster'/></iq>`);
    alice.send("<message to='bob@localhost' type='chat'><body>remember me</body></message>");
    await sync(alice);
    const archive = coreOf(fixture.server).storage.openArchive('localhost', 'archive');
    const before = await archive.query('bob@localhost', { limit: 10 });
    expect(typeof before !== 'string' && before.items.length).toBe(0); // roster pref: alice is not a contact
    await ask(bob, (id) => `<iq type='set' id='${id}'><prefs xmlns='${MAM}' default='always'/></iq>`);
    const seen = bob.received.length;
    alice.send("<message to='bob@localhost' type='chat'><body>remember me</body></message>");
    await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === 'remember me', 3000, seen);
    const kept = await archive.query('bob@localhost', { limit: 10 });
    expect(typeof kept !== 'string' && kept.items.length).toBe(1);

    const removed = await ask(bob, (id) => `<iq type='set' id='${id}' to='localhost'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
    expect(removed.attrs.type).toBe('result');
    const prefs = coreOf(fixture.server).storage.open<unknown>('localhost', 'archive_prefs');
    // user-deleted is a notification: wait for its handlers' storage work.
    const deadline = Date.now() + 3000;
    for (;;) {
      const page = await archive.query('bob@localhost', { limit: 10 });
      if ((typeof page !== 'string' && page.items.length === 0 && (await prefs.get('bob')) === undefined) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const after = await archive.query('bob@localhost', { limit: 10 });
    expect(typeof after !== 'string' && after.items.length).toBe(0);
    expect(await prefs.get('bob')).toBeUndefined();
    // Alice's archive is hers: it keeps both messages she sent.
    expect(bodiesOf(await queryArchive(alice))).toEqual(['remember me', 'remember me']);
  });

  test('the account’s disco#info lists MAM, #extended and stanza ids; the form lists the #extended fields', async () => {
    const alice = await connect('alice', 'desk');
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const features = info.getChild('query')!.getChildren('feature').map((f) => f.attrs.var);
    expect(features).toEqual(expect.arrayContaining([MAM, `${MAM}#extended`, SID]));
    const form = await ask(alice, (id) => `<iq type='get' id='${id}'><query xmlns='${MAM}'/></iq>`);
    const fields = form.getChild('query', MAM)!.getChild('x', 'jabber:x:data')!.getChildren('field').map((f) => f.attrs.var);
    expect(fields).toEqual(['FORM_TYPE', 'with', 'start', 'end', 'before-id', 'after-id', 'ids']);
  });
});
