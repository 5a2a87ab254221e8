/**
 * Room archives (`muc_mam`, Prosody's mod_muc_mam): every groupchat message with a body is
 * archived under the room's JID and reaches every occupant with the room's XEP-0359 stanza id;
 * XEP-0313 queries to the room page through it (RSM both ways, form filters, the result cap);
 * members-only rooms answer members only; `muc#roomconfig_enablearchiving` switches it per room
 * (through the owner's form and the fixture's room config); destroying a room forgets its archive.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, login, MUC_ADMIN, MUC_OWNER, MUC_USER, SERVICE, statusCodes, sync, users,
} from '../helpers/muc-harness.js';
import { forwardedMessage, queryRoom, roomStanzaIds, say, SID } from '../helpers/muc-mam.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';
import type { TestServer } from '../helpers/test-server.js';

const fixture = rawServerPerTest({ start: false });

function start(muc: Record<string, unknown> = {}, globals: Record<string, unknown> = {}): Promise<TestServer> {
  return fixture.start({
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', muc)],
    users: users('alice', 'bob', 'carol'),
    globals,
  });
}

async function connect(running: TestServer, ...names: string[]): Promise<RawClient[]> {
  return Promise.all(names.map(async (name) => fixture.track(await login(running.port, name, name[0]))));
}

const discoFeatures = async (client: RawClient, room: string): Promise<string[]> => {
  const info = await ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
  return (info.getChild('query')?.getChildren('feature') ?? []).map((feature) => String(feature.attrs.var));
};

async function configForm(client: RawClient, room: string): Promise<Element | undefined> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_OWNER}'/></iq>`);
  return reply.getChild('query', MUC_OWNER)?.getChild('x', 'jabber:x:data');
}

function field(form: Element | undefined, name: string): Element | undefined {
  return form?.getChildren('field').find((f) => f.attrs.var === name);
}

describe('archiving groupchat messages', () => {
  test('every occupant gets the room\'s stanza id, a forged one is removed, and the archive returns the message', async () => {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'lounge', 'Alice');
    await enter(bob!, 'lounge', 'Bob');
    const forged = `<stanza-id xmlns='${SID}' id='forged' by='lounge@${SERVICE}'/><stanza-id xmlns='${SID}' id='theirs' by='elsewhere@example.org'/>`;
    const seenByAlice = alice!.received.length;
    const atBob = await say(alice!, bob!, 'lounge', 'hello archive', forged);
    const atAlice = await alice!.waitFor((el) => el.attrs.id === atBob.attrs.id, 3000, seenByAlice);
    const ids = roomStanzaIds(atBob, 'lounge');
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^[0-9a-v]{22}$/);
    expect(roomStanzaIds(atAlice, 'lounge')).toEqual(ids);
    // A stanza id by another entity is not the room's to remove.
    expect(atBob.getChildren('stanza-id', SID).map((el) => el.attrs.by)).toContain('elsewhere@example.org');

    const answer = await queryRoom(bob!, 'lounge');
    expect(answer.iq.attrs.type).toBe('result');
    expect(answer.ids).toEqual(ids);
    expect(answer.complete).toBe(true);
    const result = answer.results[0]!;
    expect(result.attrs.from).toBe(`lounge@${SERVICE}`);
    const forwarded = forwardedMessage(result)!;
    expect(forwarded.attrs).toMatchObject({ from: `lounge@${SERVICE}/Alice`, type: 'groupchat' });
    expect(forwarded.getChildText('body')).toBe('hello archive');
    expect(result.getChild('result')?.getChild('forwarded')?.getChild('delay', 'urn:xmpp:delay')?.attrs.stamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Semi-anonymous room: a participant does not learn the sender's real JID; the owner does.
    expect(forwarded.getChild('x', MUC_USER)).toBeUndefined();
    const asOwner = forwardedMessage((await queryRoom(alice!, 'lounge')).results[0]!)!;
    expect(asOwner.getChild('x', MUC_USER)?.getChild('item')?.attrs.jid).toBe('alice@localhost');
    expect(asOwner.getChild('x', MUC_USER)?.getChildren('status')).toEqual([]);

    const features = await discoFeatures(bob!, 'lounge');
    expect(features).toEqual(expect.arrayContaining(['urn:xmpp:mam:2', 'urn:xmpp:mam:2#extended', SID]));
  });

  test('a subject change and a no-store message are delivered but not archived', async () => {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'topics', 'Alice');
    await enter(bob!, 'topics', 'Bob');
    const seen = bob!.received.length;
    alice!.send(`<message to='topics@${SERVICE}' type='groupchat' id='subj'><subject>New topic</subject></message>`);
    const subject = await bob!.waitFor((el) => el.attrs.id === 'subj', 3000, seen);
    expect(roomStanzaIds(subject, 'topics')).toEqual([]);
    const secret = await say(alice!, bob!, 'topics', 'off the record', "<no-store xmlns='urn:xmpp:hints'/>");
    expect(roomStanzaIds(secret, 'topics')).toEqual([]);
    await say(alice!, bob!, 'topics', 'kept');
    expect((await queryRoom(bob!, 'topics')).bodies).toEqual(['kept']);
  });
});

describe('MAM queries to a room', () => {
  async function roomWithMessages(): Promise<{ alice: RawClient; bob: RawClient; stanzaIds: string[]; bodies: string[] }> {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'paged', 'Alice');
    await enter(bob!, 'paged', 'Bob');
    const stanzaIds: string[] = [];
    const bodies: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const [sender, waiter] = i % 3 === 2 ? [bob!, alice!] : [alice!, bob!];
      const body = `m${i}`;
      stanzaIds.push(roomStanzaIds(await say(sender, waiter, 'paged', body), 'paged')[0]!);
      bodies.push(body);
    }
    return { alice: alice!, bob: bob!, stanzaIds, bodies };
  }

  test('pages forwards and backwards with RSM, and the page ends line up', async () => {
    const { bob, stanzaIds, bodies } = await roomWithMessages();
    const forwards: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 4; page += 1) {
      const answer = await queryRoom(bob, 'paged', { max: 4, ...(after === undefined ? {} : { after }) });
      forwards.push(...answer.ids);
      expect(answer.count).toBe(page === 0 ? 10 : 10 - page * 4);
      expect(answer.complete).toBe(page === 2);
      if (answer.complete) break;
      expect(answer.last).toBe(answer.ids[answer.ids.length - 1]);
      after = answer.last;
    }
    expect(forwards).toEqual(stanzaIds);

    const last = await queryRoom(bob, 'paged', { max: 3, before: '' });
    expect(last.bodies).toEqual(bodies.slice(7));
    expect(last.complete).toBe(false);
    expect(last.first).toBe(stanzaIds[7]);
    const previous = await queryRoom(bob, 'paged', { max: 3, before: last.first! });
    expect(previous.bodies).toEqual(bodies.slice(4, 7));
    const flipped = await queryRoom(bob, 'paged', { max: 3, before: '', flipPage: true });
    expect(flipped.bodies).toEqual(bodies.slice(7).reverse());
  });

  test('filters by occupant JID, time, before-id / after-id and ids; an unknown id is item-not-found', async () => {
    const { bob, stanzaIds, bodies } = await roomWithMessages();
    const byBob = await queryRoom(bob, 'paged', { fields: { with: `paged@${SERVICE}/Bob` } });
    expect(byBob.bodies).toEqual(['m2', 'm5', 'm8']);
    const everyone = await queryRoom(bob, 'paged', { fields: { with: `paged@${SERVICE}` } });
    expect(everyone.bodies).toEqual(bodies);
    const between = await queryRoom(bob, 'paged', { fields: { 'after-id': stanzaIds[2]!, 'before-id': stanzaIds[6]! } });
    expect(between.bodies).toEqual(['m3', 'm4', 'm5']);
    const picked = await queryRoom(bob, 'paged', { fields: { ids: [stanzaIds[1]!, stanzaIds[9]!] } });
    expect(picked.bodies).toEqual(['m1', 'm9']);
    const future = await queryRoom(bob, 'paged', { fields: { start: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(future.results).toEqual([]);
    expect(future.complete).toBe(true);
    const past = await queryRoom(bob, 'paged', { fields: { end: '2000-01-01T00:00:00Z' } });
    expect(past.results).toEqual([]);
    const unknown = await queryRoom(bob, 'paged', { after: '0000000000000000000000' });
    expect(errorCondition(unknown.iq)).toBe('item-not-found');
    const badTime = await queryRoom(bob, 'paged', { fields: { start: 'yesterday' } });
    expect(errorCondition(badTime.iq)).toBe('bad-request');
    const unknownField = await queryRoom(bob, 'paged', { fields: { 'full-text-search': 'm1' } });
    expect(errorCondition(unknownField.iq)).toBe('bad-request');
  });

  test('a page holds 20 items by default and at most max_archive_query_results', async () => {
    const running = await start({ max_archive_query_results: 25 });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'busy', 'Alice');
    await enter(bob!, 'busy', 'Bob');
    for (let i = 0; i < 30; i += 1) alice!.send(`<message to='busy@${SERVICE}' type='groupchat' id='b${i}'><body>b${i}</body></message>`);
    await bob!.waitFor((el) => el.attrs.id === 'b29', 5000);
    const plain = await queryRoom(bob!, 'busy');
    expect(plain.results).toHaveLength(20);
    expect(plain.complete).toBe(false);
    const capped = await queryRoom(bob!, 'busy', { max: 1000 });
    expect(capped.bodies).toEqual(Array.from({ length: 25 }, (_, i) => `b${i}`));
    const counted = await queryRoom(bob!, 'busy', { max: 0 });
    expect(counted.results).toEqual([]);
    expect(counted.count).toBe(30);
  });

  test('members-only rooms answer members only; outcasts are refused everywhere', async () => {
    const running = await start();
    const [alice, bob, carol] = await connect(running, 'alice', 'bob', 'carol');
    await createInstantRoom(alice!, 'club', 'Alice');
    await say(alice!, alice!, 'club', 'members talk');
    expect((await configure(alice!, 'club', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
    const refused = await queryRoom(carol!, 'club');
    expect(refused.iq.attrs.type).toBe('error');
    expect(errorCondition(refused.iq)).toBe('forbidden');
    expect(refused.results).toEqual([]);
    const grant = await ask(alice!, (id) => `<iq type='set' id='${id}' to='club@${SERVICE}'><query xmlns='${MUC_ADMIN}'>`
      + "<item affiliation='member' jid='carol@localhost'/><item affiliation='outcast' jid='bob@localhost'/></query></iq>");
    expect(grant.attrs.type).toBe('result');
    expect((await queryRoom(carol!, 'club')).bodies).toEqual(['members talk']);
    expect(errorCondition((await queryRoom(bob!, 'club')).iq)).toBe('forbidden');
    expect(errorCondition((await queryRoom(bob!, 'nowhere')).iq)).toBe('item-not-found');
  });

  test('a password-protected room\'s archive is read by its occupants and affiliated users only', async () => {
    const running = await start();
    const [alice, carol] = await connect(running, 'alice', 'carol');
    await createInstantRoom(alice!, 'locked', 'Alice');
    expect((await configure(alice!, 'locked', { 'muc#roomconfig_roomsecret': 'pw' })).attrs.type).toBe('result');
    await say(alice!, alice!, 'locked', 'behind the door');
    expect(errorCondition((await queryRoom(carol!, 'locked')).iq)).toBe('forbidden');
    await enter(carol!, 'locked', 'Carol', { password: 'pw' });
    expect((await queryRoom(carol!, 'locked')).bodies).toEqual(['behind the door']);
  });

  test('in a non-anonymous room everyone sees real JIDs, but only of what was said after it became one', async () => {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'glass', 'Alice');
    await enter(bob!, 'glass', 'Bob');
    await say(alice!, bob!, 'glass', 'said in the dark');
    expect((await configure(alice!, 'glass', { 'muc#roomconfig_whois': 'anyone' })).attrs.type).toBe('result');
    await say(alice!, bob!, 'glass', 'said in the open');
    const jids = (await queryRoom(bob!, 'glass')).results.map((result) => forwardedMessage(result)?.getChild('x', MUC_USER)?.getChild('item')?.attrs.jid);
    expect(jids).toEqual([undefined, 'alice@localhost']);
  });

  test('a non-occupant may read an open room\'s archive, as in Prosody', async () => {
    const running = await start();
    const [alice, carol] = await connect(running, 'alice', 'carol');
    await createInstantRoom(alice!, 'open', 'Alice');
    await say(alice!, alice!, 'open', 'public words');
    expect((await queryRoom(carol!, 'open')).bodies).toEqual(['public words']);
  });
});

describe('muc#roomconfig_enablearchiving', () => {
  test('the owner switches archiving off and on through the form (status 171 / 170)', async () => {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'switch', 'Alice');
    await enter(bob!, 'switch', 'Bob');
    const offered = field(await configForm(alice!, 'switch'), 'muc#roomconfig_enablearchiving');
    expect(offered?.attrs).toMatchObject({ type: 'boolean', label: 'Archive chat on server' });
    expect(offered?.getChildText('value')).toBe('1');
    await say(alice!, bob!, 'switch', 'archived');

    let seen = bob!.received.length;
    expect((await configure(alice!, 'switch', { 'muc#roomconfig_enablearchiving': '0' })).attrs.type).toBe('result');
    const off = await bob!.waitFor((el) => el.name === 'message' && statusCodes(el).length > 0, 3000, seen);
    expect(statusCodes(off)).toEqual([171]);
    expect(field(await configForm(alice!, 'switch'), 'muc#roomconfig_enablearchiving')?.getChildText('value')).toBe('0');
    const unarchived = await say(alice!, bob!, 'switch', 'not archived');
    expect(roomStanzaIds(unarchived, 'switch')).toEqual([]);
    expect(await discoFeatures(bob!, 'switch')).not.toContain('urn:xmpp:mam:2');
    // What was archived before stays readable.
    expect((await queryRoom(bob!, 'switch')).bodies).toEqual(['archived']);

    seen = bob!.received.length;
    expect((await configure(alice!, 'switch', { 'muc#roomconfig_enablearchiving': '1' })).attrs.type).toBe('result');
    const on = await bob!.waitFor((el) => el.name === 'message' && statusCodes(el).length > 0, 3000, seen);
    expect(statusCodes(on)).toEqual([170]);
    await say(alice!, bob!, 'switch', 'archived again');
    expect((await queryRoom(bob!, 'switch')).bodies).toEqual(['archived', 'archived again']);
  });

  test('muc_log_by_default = false: new rooms do not archive until the owner says so', async () => {
    const running = await start({ muc_log_by_default: false });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'quiet', 'Alice');
    await enter(bob!, 'quiet', 'Bob');
    expect(field(await configForm(alice!, 'quiet'), 'muc#roomconfig_enablearchiving')?.getChildText('value')).toBe('0');
    expect(roomStanzaIds(await say(alice!, bob!, 'quiet', 'gone'), 'quiet')).toEqual([]);
    expect((await queryRoom(bob!, 'quiet')).results).toEqual([]);
    expect(await discoFeatures(bob!, 'quiet')).toEqual(expect.arrayContaining([SID]));
  });

  test('muc_log_all_rooms archives every room and does not offer the field', async () => {
    const running = await start({ muc_log_by_default: false, muc_log_all_rooms: true });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'logged', 'Alice');
    await enter(bob!, 'logged', 'Bob');
    expect(field(await configForm(alice!, 'logged'), 'muc#roomconfig_enablearchiving')).toBeUndefined();
    expect(roomStanzaIds(await say(alice!, bob!, 'logged', 'kept anyway'), 'logged')).toHaveLength(1);
  });

  test('modules_disabled = muc_mam: no stanza ids, no field, no archive', async () => {
    const running = await start({ modules_disabled: ['muc_mam'] });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'plain', 'Alice');
    await enter(bob!, 'plain', 'Bob');
    expect(field(await configForm(alice!, 'plain'), 'muc#roomconfig_enablearchiving')).toBeUndefined();
    expect(roomStanzaIds(await say(alice!, bob!, 'plain', 'ephemeral'), 'plain')).toEqual([]);
    expect(errorCondition((await queryRoom(bob!, 'plain')).iq)).toBe('service-unavailable');
    expect(await discoFeatures(bob!, 'plain')).not.toContain(SID);
  });

  test('the fixture section sets it per room with the enablearchiving key', async () => {
    const running = await start({}, {
      fixture: { rooms: [{ name: 'unlogged', config: { enablearchiving: false } }, 'logged'] },
    });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await enter(alice!, 'unlogged', 'Alice');
    await enter(bob!, 'unlogged', 'Bob');
    expect(roomStanzaIds(await say(alice!, bob!, 'unlogged', 'unlogged words'), 'unlogged')).toEqual([]);
    await enter(alice!, 'logged', 'Alice');
    await enter(bob!, 'logged', 'Bob');
    expect(roomStanzaIds(await say(alice!, bob!, 'logged', 'logged words'), 'logged')).toHaveLength(1);
    expect((await queryRoom(bob!, 'unlogged')).results).toEqual([]);
    expect((await queryRoom(bob!, 'logged')).bodies).toEqual(['logged words']);
  });
});

describe('room lifecycle', () => {
  test('muc_log_expires_after: the daily sweep (here every second) drops expired messages', async () => {
    const running = await start({ muc_log_expires_after: 1 });
    const [alice] = await connect(running, 'alice');
    await createInstantRoom(alice!, 'brief', 'Alice');
    await say(alice!, alice!, 'brief', 'soon gone');
    expect((await queryRoom(alice!, 'brief')).bodies).toEqual(['soon gone']);
    const deadline = Date.now() + 5000;
    let left = 1;
    while (left > 0 && Date.now() < deadline) {
      left = (await queryRoom(alice!, 'brief')).results.length;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toBe(0);
  });

  test('destroying a room deletes its archive (as Prosody does): a new room of that name starts empty', async () => {
    const running = await start();
    const [alice] = await connect(running, 'alice');
    await createInstantRoom(alice!, 'doomed', 'Alice');
    await say(alice!, alice!, 'doomed', 'last words');
    expect((await queryRoom(alice!, 'doomed')).bodies).toEqual(['last words']);
    const destroyed = await ask(alice!, (id) => `<iq type='set' id='${id}' to='doomed@${SERVICE}'><query xmlns='${MUC_OWNER}'><destroy/></query></iq>`);
    expect(destroyed.attrs.type).toBe('result');
    await sync(alice!);
    await createInstantRoom(alice!, 'doomed', 'Alice');
    expect((await queryRoom(alice!, 'doomed')).results).toEqual([]);
  });

  test('join history carries the archive\'s stanza ids', async () => {
    const running = await start();
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'recall', 'Alice');
    const said = await say(alice!, alice!, 'recall', 'remember me');
    const seen = bob!.received.length;
    await enter(bob!, 'recall', 'Bob');
    const history = bob!.received.slice(seen).find((el) => el.getChildText('body') === 'remember me');
    expect(history?.getChild('delay', 'urn:xmpp:delay')?.attrs.from).toBe(`recall@${SERVICE}`);
    expect(roomStanzaIds(history!, 'recall')).toEqual(roomStanzaIds(said, 'recall'));
  });
});
