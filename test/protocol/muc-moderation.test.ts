/**
 * XEP-0425 Moderated Message Retraction (`muc_moderation`, Prosody's community module
 * mod_muc_moderation) over real sockets: a moderator names a message by the room's stanza id, in
 * the version 0.3 form (`urn:xmpp:message-moderate:1`) or the 0.2 form clients still send
 * (`urn:xmpp:message-moderate:0` in `urn:xmpp:fasten:0`); every occupant is told, MAM queries
 * return the tombstone, the join history no longer holds the body; participants are refused,
 * unknown ids are item-not-found, and without a room archive the request is not implemented.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, createInstantRoom, enter, errorCondition, login, MUC_ADMIN, SERVICE, users, xmlEscape,
} from '../helpers/muc-harness.js';
import { forwardedMessage, queryRoom, roomStanzaIds, say } from '../helpers/muc-mam.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';
import type { TestServer } from '../helpers/test-server.js';

const MODERATE = 'urn:xmpp:message-moderate:1';
const RETRACT = 'urn:xmpp:message-retract:1';
const MODERATE_0 = 'urn:xmpp:message-moderate:0';
const RETRACT_0 = 'urn:xmpp:message-retract:0';
const FASTEN = 'urn:xmpp:fasten:0';
const OCCUPANT_ID = 'urn:xmpp:occupant-id:0';

const fixture = rawServerPerTest({ start: false });

function start(muc: Record<string, unknown> = {}): Promise<TestServer> {
  return fixture.start({ hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', muc)], users: users('alice', 'bob', 'carol', 'dave') });
}

async function connect(running: TestServer, ...names: string[]): Promise<RawClient[]> {
  return Promise.all(names.map(async (name) => fixture.track(await login(running.port, name, name[0]))));
}

/** Alice owns `room` (moderator), Bob and Carol are participants; Bob said `body`. */
async function roomWithMessage(room: string, body: string): Promise<{ alice: RawClient; bob: RawClient; carol: RawClient; stanzaId: string }> {
  const running = await start();
  const [alice, bob, carol] = await connect(running, 'alice', 'bob', 'carol');
  await createInstantRoom(alice!, room, 'Alice');
  await enter(bob!, room, 'Bob');
  await enter(carol!, room, 'Carol');
  const seenByCarol = carol!.received.length;
  const reflected = await say(bob!, alice!, room, body);
  await carol!.waitFor((el) => el.attrs.id === reflected.attrs.id, 3000, seenByCarol);
  return { alice: alice!, bob: bob!, carol: carol!, stanzaId: roomStanzaIds(reflected, room)[0]! };
}

function moderateV1(room: string, stanzaId: string, reason?: string): (id: string) => string {
  const why = reason === undefined ? '' : `<reason>${xmlEscape(reason)}</reason>`;
  return (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><moderate xmlns='${MODERATE}' id='${stanzaId}'><retract xmlns='${RETRACT}'/>${why}</moderate></iq>`;
}

function moderateV0(room: string, stanzaId: string, reason: string): (id: string) => string {
  return (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><apply-to xmlns='${FASTEN}' id='${stanzaId}'>`
    + `<moderate xmlns='${MODERATE_0}'><retract xmlns='${RETRACT_0}'/><reason>${xmlEscape(reason)}</reason></moderate></apply-to></iq>`;
}

function isAnnouncement(el: Element, stanzaId: string): boolean {
  return el.name === 'message' && el.getChild('retract', RETRACT)?.attrs.id === stanzaId;
}

/** The tombstone's markers, in both versions. */
function expectTombstone(message: Element, by: string, reason: string): void {
  expect(message.getChild('body')).toBeUndefined();
  const retracted = message.getChild('retracted', RETRACT);
  expect(retracted?.attrs.stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(retracted?.getChild('moderated', MODERATE)?.attrs.by).toBe(by);
  expect(retracted?.getChildText('reason')).toBe(reason);
  const legacy = message.getChild('moderated', MODERATE_0);
  expect(legacy?.attrs.by).toBe(by);
  expect(legacy?.getChild('retracted', RETRACT_0)).toBeDefined();
  expect(legacy?.getChildText('reason')).toBe(reason);
}

describe('a moderator retracts a message', () => {
  test('every occupant is told (both versions), MAM returns the tombstone, and the retraction is archived too', async () => {
    const { alice, bob, carol, stanzaId } = await roomWithMessage('lounge', 'something rude');
    const seen = [bob, carol].map((client) => client.received.length);
    const reply = await ask(alice, moderateV1('lounge', stanzaId, 'Not here, please'));
    expect(reply.attrs.type).toBe('result');
    const told = await Promise.all([bob, carol].map((client, i) => client.waitFor((el) => isAnnouncement(el, stanzaId), 3000, seen[i])));
    for (const announcement of told) {
      expect(announcement.attrs).toMatchObject({ from: `lounge@${SERVICE}`, type: 'groupchat' });
      const retract = announcement.getChild('retract', RETRACT)!;
      const moderated = retract.getChild('moderated', MODERATE);
      expect(moderated?.attrs.by).toBe(`lounge@${SERVICE}/Alice`);
      expect(moderated?.getChild('occupant-id', OCCUPANT_ID)?.attrs.id).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
      expect(retract.getChildText('reason')).toBe('Not here, please');
      const legacy = announcement.getChild('apply-to', FASTEN);
      expect(legacy?.attrs.id).toBe(stanzaId);
      expect(legacy?.getChild('moderated', MODERATE_0)?.getChild('retract', RETRACT_0)).toBeDefined();
      expect(announcement.getChild('body')).toBeUndefined();
    }

    const answer = await queryRoom(carol, 'lounge');
    expect(answer.ids[0]).toBe(stanzaId);
    const tombstone = forwardedMessage(answer.results[0]!)!;
    expect(tombstone.attrs).toMatchObject({ from: `lounge@${SERVICE}/Bob`, type: 'groupchat' });
    expectTombstone(tombstone, `lounge@${SERVICE}/Alice`, 'Not here, please');
    // The sender's occupant id stays; the body is nowhere in what the archive returns.
    expect(tombstone.getChild('occupant-id', OCCUPANT_ID)).toBeDefined();
    expect(answer.results.some((result) => result.toString().includes('something rude'))).toBe(false);
    // The announcement follows the message in the archive, for clients catching up through MAM.
    expect(answer.results).toHaveLength(2);
    expect(forwardedMessage(answer.results[1]!)?.getChild('retract', RETRACT)?.attrs.id).toBe(stanzaId);
  });

  test('the version 0.2 request (apply-to) that slixmpp, Gajim and Conversations send works the same way', async () => {
    const { alice, bob, stanzaId } = await roomWithMessage('legacy', 'spam spam spam');
    const seen = bob.received.length;
    expect((await ask(alice, moderateV0('legacy', stanzaId, 'Spam'))).attrs.type).toBe('result');
    const announcement = await bob.waitFor((el) => el.name === 'message' && el.getChild('apply-to', FASTEN)?.attrs.id === stanzaId, 3000, seen);
    expect(announcement.getChild('apply-to', FASTEN)?.getChild('moderated', MODERATE_0)?.getChildText('reason')).toBe('Spam');
    expectTombstone(forwardedMessage((await queryRoom(bob, 'legacy')).results[0]!)!, `legacy@${SERVICE}/Alice`, 'Spam');
  });

  test('new occupants get the tombstone in the join history, never the body', async () => {
    const { alice, stanzaId } = await roomWithMessage('history', 'my phone number is 555');
    await say(alice, alice, 'history', 'a later message');
    expect((await ask(alice, moderateV1('history', stanzaId, 'Personal data'))).attrs.type).toBe('result');
    const [dave] = await connect(fixture.server, 'dave');
    const seen = dave!.received.length;
    await enter(dave!, 'history', 'Dave');
    const history = dave!.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('delay', 'urn:xmpp:delay') !== undefined);
    expect(history.some((el) => el.toString().includes('555'))).toBe(false);
    expect(history.map((el) => el.getChildText('body'))).toEqual([null, 'a later message']);
    expectTombstone(history[0]!, `history@${SERVICE}/Alice`, 'Personal data');
    expect(history[0]!.attrs.from).toBe(`history@${SERVICE}/Bob`);
    expect(roomStanzaIds(history[0]!, 'history')).toEqual([stanzaId]);
  });

  test('an owner outside the room may moderate; without a nickname there the announcement names no occupant JID', async () => {
    const { alice, bob, stanzaId } = await roomWithMessage('absent', 'hello');
    alice.send(`<presence to='absent@${SERVICE}/Alice' type='unavailable'/>`);
    await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `absent@${SERVICE}/Alice`, 3000);
    const seen = bob.received.length;
    expect((await ask(alice, moderateV1('absent', stanzaId))).attrs.type).toBe('result');
    const announcement = await bob.waitFor((el) => isAnnouncement(el, stanzaId), 3000, seen);
    const moderated = announcement.getChild('retract', RETRACT)?.getChild('moderated', MODERATE);
    expect(moderated?.attrs.by).toBeUndefined();
    expect(moderated?.getChild('occupant-id', OCCUPANT_ID)).toBeDefined();
    expect(announcement.getChild('retract', RETRACT)?.getChild('reason')).toBeUndefined();
  });
});

describe('refusals', () => {
  test('a participant is forbidden and the message stays; an unknown id is item-not-found', async () => {
    const { alice, bob, carol, stanzaId } = await roomWithMessage('guarded', 'keep me');
    const refused = await ask(carol, moderateV1('guarded', stanzaId, 'I do not like it'));
    expect(refused.attrs.type).toBe('error');
    expect(errorCondition(refused)).toBe('forbidden');
    expect(refused.getChild('error')?.attrs.type).toBe('auth');
    const legacyRefused = await ask(bob, moderateV0('guarded', stanzaId, 'mine'));
    expect(errorCondition(legacyRefused)).toBe('forbidden');
    expect((await queryRoom(carol, 'guarded')).bodies).toEqual(['keep me']);

    const unknown = await ask(alice, moderateV1('guarded', '0000000000000000000000'));
    expect(errorCondition(unknown)).toBe('item-not-found');
    const tooLong = await ask(alice, moderateV1('guarded', 'x'.repeat(300)));
    expect(errorCondition(tooLong)).toBe('item-not-found');
    const noId = await ask(alice, (id) => `<iq type='set' id='${id}' to='guarded@${SERVICE}'><moderate xmlns='${MODERATE}'><retract xmlns='${RETRACT}'/></moderate></iq>`);
    expect(errorCondition(noId)).toBe('bad-request');
    const noRoom = await ask(alice, moderateV1('nowhere', stanzaId));
    expect(errorCondition(noRoom)).toBe('item-not-found');
  });

  test('a message named by its sender\'s own id is found only when one history message carries it', async () => {
    const { alice, bob, carol } = await roomWithMessage('own-ids', 'warm up');
    const send = async (from: RawClient, id: string, body: string): Promise<Element> => {
      const seen = carol.received.length;
      from.send(`<message to='own-ids@${SERVICE}' type='groupchat' id='${id}'><body>${body}</body></message>`);
      return carol.waitFor((el) => el.name === 'message' && el.getChildText('body') === body, 3000, seen);
    };
    const unique = roomStanzaIds(await send(bob, 'bobs-own-id', 'named by bob'), 'own-ids')[0]!;
    await send(bob, 'shared-id', 'one');
    await send(alice, 'shared-id', 'two');
    expect(errorCondition(await ask(alice, moderateV1('own-ids', 'shared-id')))).toBe('item-not-found');
    const seen = carol.received.length;
    expect((await ask(alice, moderateV1('own-ids', 'bobs-own-id'))).attrs.type).toBe('result');
    // The announcement names the message by the room's stanza id, as the XEP has clients match.
    await carol.waitFor((el) => isAnnouncement(el, unique), 3000, seen);
    expect((await queryRoom(carol, 'own-ids')).bodies).toEqual(['warm up', '', 'one', 'two', '']);
  });

  test('a moderator by role (granted by the owner) may; after a demotion the same user may not', async () => {
    const { alice, bob, carol, stanzaId } = await roomWithMessage('roles', 'first');
    const grant = await ask(alice, (id) => `<iq type='set' id='${id}' to='roles@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item nick='Carol' role='moderator'/></query></iq>`);
    expect(grant.attrs.type).toBe('result');
    const second = roomStanzaIds(await say(bob, alice, 'roles', 'second'), 'roles')[0]!;
    expect((await ask(carol, moderateV1('roles', stanzaId))).attrs.type).toBe('result');
    const revoke = await ask(alice, (id) => `<iq type='set' id='${id}' to='roles@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item nick='Carol' role='participant'/></query></iq>`);
    expect(revoke.attrs.type).toBe('result');
    expect(errorCondition(await ask(carol, moderateV1('roles', second)))).toBe('forbidden');
  });
});

describe('discovery and the archive it needs', () => {
  const features = async (client: RawClient, room: string): Promise<string[]> => {
    const info = await ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    return (info.getChild('query')?.getChildren('feature') ?? []).map((feature) => String(feature.attrs.var));
  };

  test('rooms advertise both versions while the service archives', async () => {
    const running = await start();
    const [alice] = await connect(running, 'alice');
    await createInstantRoom(alice!, 'shown', 'Alice');
    expect(await features(alice!, 'shown')).toEqual(expect.arrayContaining([MODERATE, MODERATE_0]));
  });

  test('without muc_mam rooms do not advertise it and a request is feature-not-implemented', async () => {
    const running = await start({ modules_disabled: ['muc_mam'] });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'plain', 'Alice');
    await enter(bob!, 'plain', 'Bob');
    const said = await say(bob!, alice!, 'plain', 'unarchived');
    expect(roomStanzaIds(said, 'plain')).toEqual([]);
    expect(await features(alice!, 'plain')).not.toContain(MODERATE);
    const refused = await ask(alice!, moderateV1('plain', 'anything'));
    expect(errorCondition(refused)).toBe('feature-not-implemented');
  });

  test('modules_disabled turns the module off: the request is not answered by it', async () => {
    const running = await start({ modules_disabled: ['muc_moderation'] });
    const [alice, bob] = await connect(running, 'alice', 'bob');
    await createInstantRoom(alice!, 'off', 'Alice');
    await enter(bob!, 'off', 'Bob');
    const stanzaId = roomStanzaIds(await say(bob!, alice!, 'off', 'stays'), 'off')[0]!;
    expect(await features(alice!, 'off')).not.toContain(MODERATE);
    const reply = await ask(alice!, moderateV1('off', stanzaId));
    expect(reply.attrs.type).toBe('error');
    expect((await queryRoom(alice!, 'off')).bodies).toEqual(['stays']);
  });
});
