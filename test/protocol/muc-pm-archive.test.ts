/**
 * MUC private messages (XEP-0045 §7.5) in the users' own archives (XEP-0313), as Prosody and
 * ejabberd keep them: the sender's archive and the recipient's each keep a private message once,
 * `with` the other party's occupant JID, and the delivered message carries the recipient
 * archive's `<stanza-id/>` (XEP-0359). A nickname shared by several sessions of one account is
 * archived once; a message the room refuses, the recipient blocks or the sender marks `no-store`
 * reaches no recipient archive.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { bodiesOf, forwarded, idsOf, queryArchive, stanzaIds } from '../helpers/mam-raw.js';
import { ask, configure, createInstantRoom, enter, errorCondition, login, MUC_USER, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';

const fixture = rawServerPerTest({ start: { users: users('alice', 'bob', 'carol') } });
const ROOM = `den@${SERVICE}`;
const CARBONS = 'urn:xmpp:carbons:2';

async function connect(user: string, resource: string): Promise<RawClient> {
  return fixture.track(await login(fixture.server.port, user, resource));
}

/** Alice owns the room as Alice, Bob is in it as Bob. */
async function roomWithTwo(): Promise<{ alice: RawClient; bob: RawClient }> {
  const alice = await connect('alice', 'desk');
  const bob = await connect('bob', 'phone');
  await createInstantRoom(alice, 'den', 'Alice');
  await enter(bob, 'den', 'Bob');
  return { alice, bob };
}

function whisper(from: RawClient, nick: string, body: string, extra = ''): void {
  from.send(`<message to='${ROOM}/${nick}' type='chat' id='${body}'><body>${body}</body>${extra}</message>`);
}

function received(client: RawClient, body: string, seen = 0): Promise<Element> {
  return client.waitFor((el) => el.name === 'message' && el.getChildText('body') === body && el.attrs.type !== 'error', 3000, seen);
}

describe('a private message between occupants is in both users’ archives', () => {
  test('each archive keeps it once, with the occupant JID; the delivered message carries the recipient archive id', async () => {
    const { alice, bob } = await roomWithTwo();
    whisper(alice, 'Bob', 'psst bob');
    const delivered = await received(bob, 'psst bob');
    expect(delivered.attrs.from).toBe(`${ROOM}/Alice`);
    expect(delivered.attrs.to).toBe('bob@localhost/phone');
    expect(delivered.getChild('x', MUC_USER)).toBeDefined();
    const [bobsId] = stanzaIds(delivered, 'bob@localhost');
    expect(bobsId).toMatch(/^[0-9a-v]{22}$/);
    expect(stanzaIds(delivered, 'alice@localhost')).toEqual([]);

    // The recipient: by the sender's occupant JID, by the room's bare JID and unfiltered, once.
    for (const filters of [{ with: `${ROOM}/Alice` }, { with: ROOM }, {}]) {
      const bobs = await queryArchive(bob, filters);
      expect(idsOf(bobs)).toEqual([bobsId]);
    }
    expect(idsOf(await queryArchive(bob, { with: `${ROOM}/Carol` }))).toEqual([]);
    const kept = forwarded((await queryArchive(bob)).results[0]!);
    expect(kept.attrs.from).toBe(`${ROOM}/Alice`);
    expect(kept.attrs.to).toBe('bob@localhost/phone');
    // What lets a client reading its archive tell a private message from a chat with the room.
    expect(kept.getChild('x', MUC_USER)).toBeDefined();
    expect(kept.getChildText('body')).toBe('psst bob');

    // The sender: by the recipient's occupant JID and by the room's bare JID, once.
    for (const filters of [{ with: `${ROOM}/Bob` }, { with: ROOM }]) {
      expect(bodiesOf(await queryArchive(alice, filters))).toEqual(['psst bob']);
    }
    expect(forwarded((await queryArchive(alice)).results[0]!).attrs.to).toBe(`${ROOM}/Bob`);
  });

  test('the sender’s archive id is the one its other devices learn from the <sent/> carbon', async () => {
    const { alice, bob } = await roomWithTwo();
    const other = await connect('alice', 'laptop');
    const enabled = await ask(other, (id) => `<iq type='set' id='${id}'><enable xmlns='${CARBONS}'/></iq>`);
    expect(enabled.attrs.type).toBe('result');
    whisper(alice, 'Bob', 'seen twice');
    const carbon = await other.waitFor((el) => el.name === 'message' && el.getChild('sent', CARBONS) !== undefined);
    const sent = carbon.getChild('sent', CARBONS)!.getChild('forwarded', 'urn:xmpp:forward:0')!.getChild('message')!;
    const [alicesId] = stanzaIds(sent, 'alice@localhost');
    await received(bob, 'seen twice');
    expect(idsOf(await queryArchive(alice, { with: `${ROOM}/Bob` }))).toEqual([alicesId]);
  });

  test('a nickname joined from two sessions gets both copies with one id, and one archive entry', async () => {
    const { alice, bob } = await roomWithTwo();
    const bobsTablet = await connect('bob', 'tablet');
    await enter(bobsTablet, 'den', 'Bob');
    whisper(alice, 'Bob', 'to both');
    const [onPhone, onTablet] = await Promise.all([received(bob, 'to both'), received(bobsTablet, 'to both')]);
    const ids = stanzaIds(onPhone, 'bob@localhost');
    expect(ids).toHaveLength(1);
    expect(stanzaIds(onTablet, 'bob@localhost')).toEqual(ids);
    expect(idsOf(await queryArchive(bobsTablet))).toEqual(ids);
  });

  test('a reply goes into both archives too, each side with its peer’s occupant JID', async () => {
    const { alice, bob } = await roomWithTwo();
    whisper(alice, 'Bob', 'question');
    await received(bob, 'question');
    whisper(bob, 'Alice', 'answer');
    const answer = await received(alice, 'answer');
    expect(idsOf(await queryArchive(alice, { with: `${ROOM}/Bob` }))).toHaveLength(2);
    expect(bodiesOf(await queryArchive(alice, { with: `${ROOM}/Bob` }))).toEqual(['question', 'answer']);
    expect(idsOf(await queryArchive(alice, { with: `${ROOM}/Bob` }))[1]).toBe(stanzaIds(answer, 'alice@localhost')[0]);
    expect(bodiesOf(await queryArchive(bob, { with: `${ROOM}/Alice` }))).toEqual(['question', 'answer']);
  });
});

describe('what no recipient archive keeps', () => {
  test('a private message the room refuses (allowpm none) is in no recipient archive; the sender’s keeps it, as in Prosody', async () => {
    const { alice, bob } = await roomWithTwo();
    expect((await configure(alice, 'den', { 'muc#roomconfig_allowpm': 'none' })).attrs.type).toBe('result');
    const carol = await connect('carol', 'pad');
    await enter(carol, 'den', 'Carol');
    whisper(carol, 'Bob', 'refused');
    const error = await carol.waitFor((el) => el.name === 'message' && el.attrs.type === 'error' && el.attrs.id === 'refused');
    expect(errorCondition(error)).toBe('forbidden');
    expect(idsOf(await queryArchive(bob))).toEqual([]);
    // Archived on `pre-stanza`, before the room looked at it; the error is not archived.
    expect(bodiesOf(await queryArchive(carol))).toEqual(['refused']);
  });

  test('a private message with the no-store hint is delivered without an id and archived nowhere', async () => {
    const { alice, bob } = await roomWithTwo();
    whisper(alice, 'Bob', 'forget me', "<no-store xmlns='urn:xmpp:hints'/>");
    const delivered = await received(bob, 'forget me');
    expect(stanzaIds(delivered, 'bob@localhost')).toEqual([]);
    expect(idsOf(await queryArchive(bob))).toEqual([]);
    expect(idsOf(await queryArchive(alice))).toEqual([]);
  });

  test('a private message from an occupant the recipient blocks is neither delivered nor archived', async () => {
    const { alice, bob } = await roomWithTwo();
    const blocked = await ask(bob, (id) => `<iq type='set' id='${id}'><block xmlns='urn:xmpp:blocking'><item jid='${ROOM}/Alice'/></block></iq>`);
    expect(blocked.attrs.type).toBe('result');
    const seen = bob.received.length;
    whisper(alice, 'Bob', 'blocked one');
    await sync(alice); // the sender's stream has handled it
    const carol = await connect('carol', 'pad');
    await enter(carol, 'den', 'Carol');
    whisper(carol, 'Bob', 'from carol');
    await received(bob, 'from carol', seen);
    expect(bob.received.slice(seen).some((el) => el.getChildText('body') === 'blocked one')).toBe(false);
    expect(bodiesOf(await queryArchive(bob))).toEqual(['from carol']);
    // The sender hears nothing back (XEP-0045 behaviour is the same as before).
    await sync(alice);
    expect(alice.received.some((el) => el.name === 'message' && el.attrs.type === 'error')).toBe(false);
  });
});
