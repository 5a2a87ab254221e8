/** Room configuration (XEP-0045 §10.2), invitations (§7.8), voice requests (§7.13, §8.6), destruction (§10.9), registration (§7.10). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, MUC_OWNER, mucX, SERVICE, since, statusCodes, sync, users,
} from '../helpers/muc-harness.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
let dave: RawClient;

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol', 'dave') });
  [alice, bob, carol, dave] = await Promise.all([
    login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'),
    login(server.port, 'carol', 'laptop'), login(server.port, 'dave', 'tablet'),
  ]);
  // Available sessions receive messages to their bare JID (RFC 6121 §8.5.2), such as invitations.
  for (const client of [alice, bob, carol, dave]) client.send('<presence/>');
  for (const client of [alice, bob, carol, dave]) await sync(client);
});
afterAll(async () => {
  for (const client of [alice, bob, carol, dave]) client?.close();
  await server.stop();
});

function configForm(client: RawClient, room: string): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_OWNER}'/></iq>`);
}

function fieldValue(form: Element, name: string): string | undefined {
  return form.getChild('query')?.getChild('x', 'jabber:x:data')?.getChildren('field').find((f) => f.attrs.var === name)?.getChildText('value') ?? undefined;
}

describe('configuration (§10.2)', () => {
  beforeAll(async () => {
    await createInstantRoom(alice, 'conf', 'Alice');
    await enter(bob, 'conf', 'Bob');
    await enter(carol, 'conf', 'Carol');
  });

  test('the owner gets the form with the current values; others are forbidden', async () => {
    const form = await configForm(alice, 'conf');
    expect(form.attrs.type).toBe('result');
    expect(fieldValue(form, 'FORM_TYPE')).toBe('http://jabber.org/protocol/muc#roomconfig');
    expect(fieldValue(form, 'muc#roomconfig_whois')).toBe('moderators');
    expect(fieldValue(form, 'muc#roomconfig_persistentroom')).toBe('0');
    expect(errorCondition(await configForm(bob, 'conf'))).toBe('forbidden');
    expect(errorCondition(await configure(bob, 'conf', { 'muc#roomconfig_roomname': 'Mine' }))).toBe('forbidden');
  });

  test('a change is announced with 104; becoming non-anonymous with 172 (real JIDs then go to everyone), back with 173', async () => {
    const seenBob = bob.received.length;
    expect((await configure(alice, 'conf', { 'muc#roomconfig_roomname': 'Conference' })).attrs.type).toBe('result');
    const notice = await bob.waitFor((el) => el.name === 'message' && mucX(el) !== undefined, 3000, seenBob);
    expect(notice.attrs).toMatchObject({ from: `conf@${SERVICE}`, type: 'groupchat' });
    expect(statusCodes(notice)).toEqual([104]);
    await sync(carol);
    const seenCarol = carol.received.length;
    expect((await configure(alice, 'conf', { 'muc#roomconfig_whois': 'anyone' })).attrs.type).toBe('result');
    expect(statusCodes(await carol.waitFor((el) => el.name === 'message' && mucX(el) !== undefined, 3000, seenCarol))).toEqual([172]);
    const seenDave = dave.received.length;
    const self = await enter(dave, 'conf', 'Dave');
    expect(statusCodes(self)).toContain(100);
    expect(item(since(dave, seenDave).find((el) => el.attrs.from === `conf@${SERVICE}/Bob`)!)?.attrs.jid).toBe('bob@localhost/phone');
    await sync(bob);
    const seenBob2 = bob.received.length;
    expect((await configure(alice, 'conf', { 'muc#roomconfig_whois': 'moderators', 'muc#roomconfig_roomdesc': 'quiet' })).attrs.type).toBe('result');
    expect(statusCodes(await bob.waitFor((el) => el.name === 'message' && mucX(el) !== undefined, 3000, seenBob2))).toEqual([104, 173]);
  });

  test('unknown fields, wrong types and non-forms are refused and change nothing', async () => {
    expect(errorCondition(await configure(alice, 'conf', { 'muc#roomconfig_maxusers': 'lots' }))).toBe('not-acceptable');
    expect(errorCondition(await configure(alice, 'conf', { 'muc#roomconfig_roomname': 'Renamed', 'muc#roomconfig_colour': 'red' }))).toBe('not-acceptable');
    expect(errorCondition(await configure(alice, 'conf', { 'muc#roomconfig_roomname': 'Renamed', 'muc#roomconfig_publicroom': 'maybe' }))).toBe('not-acceptable');
    const notAForm = await ask(alice, (id) => `<iq type='set' id='${id}' to='conf@${SERVICE}'><query xmlns='${MUC_OWNER}'><x xmlns='jabber:x:data' type='result'/></query></iq>`);
    expect(errorCondition(notAForm)).toBe('bad-request');
    const form = await configForm(alice, 'conf');
    expect(fieldValue(form, 'muc#roomconfig_roomname')).toBe('Conference');
    expect(fieldValue(form, 'muc#roomconfig_publicroom')).toBe('1');
  });
});

describe('invitations (§7.8)', () => {
  test('a mediated invitation reaches the invitee with the password; a decline reaches the inviter', async () => {
    await createInstantRoom(alice, 'party', 'Alice');
    expect((await configure(alice, 'party', { 'muc#roomconfig_roomsecret': 'cake' })).attrs.type).toBe('result');
    const seenBob = bob.received.length;
    alice.send(`<message to='party@${SERVICE}' id='inv1'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='bob@localhost'><reason>Join us</reason></invite></x></message>`);
    const invitation = await bob.waitFor((el) => el.name === 'message' && mucX(el)?.getChild('invite') !== undefined, 3000, seenBob);
    expect(invitation.attrs.from).toBe(`party@${SERVICE}`);
    expect(mucX(invitation)?.getChild('invite')?.attrs.from).toBe('alice@localhost');
    expect(mucX(invitation)?.getChild('invite')?.getChildText('reason')).toBe('Join us');
    expect(mucX(invitation)?.getChildText('password')).toBe('cake');
    const seenAlice = alice.received.length;
    bob.send(`<message to='party@${SERVICE}'><x xmlns='http://jabber.org/protocol/muc#user'><decline to='alice@localhost'><reason>Busy</reason></decline></x></message>`);
    const declined = await alice.waitFor((el) => mucX(el)?.getChild('decline') !== undefined, 3000, seenAlice);
    expect(mucX(declined)?.getChild('decline')?.attrs.from).toBe('bob@localhost');
    expect(mucX(declined)?.getChild('decline')?.getChildText('reason')).toBe('Busy');
  });

  test('in a members-only room a member may invite only with allowinvites, and the invitee becomes a member', async () => {
    await createInstantRoom(alice, 'vip', 'Alice');
    expect((await configure(alice, 'vip', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
    alice.send(`<message to='vip@${SERVICE}'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='bob@localhost'/></x></message>`);
    await bob.waitFor((el) => el.name === 'message' && el.attrs.from === `vip@${SERVICE}`, 3000);
    await enter(bob, 'vip', 'Bob');
    const seenBob = bob.received.length;
    bob.send(`<message to='vip@${SERVICE}' id='inv-denied'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='carol@localhost'/></x></message>`);
    expect(errorCondition(await bob.waitFor((el) => el.attrs.id === 'inv-denied', 3000, seenBob))).toBe('forbidden');
    expect(errorCondition(await join(carol, 'vip', 'Carol'))).toBe('registration-required');
    expect((await configure(alice, 'vip', { 'muc#roomconfig_allowinvites': '1' })).attrs.type).toBe('result');
    bob.send(`<message to='vip@${SERVICE}'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='carol@localhost'/></x></message>`);
    await carol.waitFor((el) => el.name === 'message' && mucX(el)?.getChild('invite') !== undefined && el.attrs.from === `vip@${SERVICE}`, 3000);
    expect((await join(carol, 'vip', 'Carol')).attrs.type).toBeUndefined();
  });
});

describe('voice requests (§7.13, §8.6)', () => {
  test('a visitor asks, moderators get the form, an approval grants voice', async () => {
    await createInstantRoom(alice, 'hall', 'Alice');
    expect((await configure(alice, 'hall', { 'muc#roomconfig_moderatedroom': '1' })).attrs.type).toBe('result');
    await enter(bob, 'hall', 'Bob');
    await sync(alice);
    const seenAlice = alice.received.length;
    bob.send(`<message to='hall@${SERVICE}'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>`
      + `<field var='muc#role' type='list-single'><value>participant</value></field></x></message>`);
    const request = await alice.waitFor((el) => el.name === 'message' && el.getChild('x', 'jabber:x:data') !== undefined, 3000, seenAlice);
    const fields = request.getChild('x', 'jabber:x:data')!.getChildren('field');
    expect(fields.find((f) => f.attrs.var === 'muc#roomnick')?.getChildText('value')).toBe('Bob');
    expect(fields.find((f) => f.attrs.var === 'muc#jid')?.getChildText('value')).toBe('bob@localhost');
    const seenBob = bob.received.length;
    alice.send(`<message to='hall@${SERVICE}'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>`
      + `<field var='muc#role'><value>participant</value></field><field var='muc#roomnick'><value>Bob</value></field><field var='muc#request_allow'><value>true</value></field></x></message>`);
    const granted = await bob.waitFor((el) => el.name === 'presence' && statusCodes(el).includes(110), 3000, seenBob);
    expect(item(granted)?.attrs.role).toBe('participant');
  });
});

describe('destruction (§10.9)', () => {
  test('every occupant gets unavailable with <destroy/>, reason and alternate venue; the room is gone', async () => {
    await createInstantRoom(alice, 'doomed', 'Alice');
    await enter(bob, 'doomed', 'Bob');
    await enter(carol, 'doomed', 'Carol');
    expect(errorCondition(await ask(bob, (id) => `<iq type='set' id='${id}' to='doomed@${SERVICE}'><query xmlns='${MUC_OWNER}'><destroy/></query></iq>`))).toBe('forbidden');
    const seenBob = bob.received.length;
    const seenCarol = carol.received.length;
    const reply = await ask(alice, (id) => `<iq type='set' id='${id}' to='doomed@${SERVICE}'><query xmlns='${MUC_OWNER}'>`
      + `<destroy jid='newplace@${SERVICE}'><reason>Moving</reason></destroy></query></iq>`);
    expect(reply.attrs.type).toBe('result');
    for (const [client, seen, nick] of [[bob, seenBob, 'Bob'], [carol, seenCarol, 'Carol']] as const) {
      const gone = await client.waitFor((el) => el.attrs.type === 'unavailable', 3000, seen);
      expect(gone.attrs.from).toBe(`doomed@${SERVICE}/${nick}`);
      const destroy = mucX(gone)?.getChild('destroy');
      expect(destroy?.attrs.jid).toBe(`newplace@${SERVICE}`);
      expect(destroy?.getChildText('reason')).toBe('Moving');
      expect(item(gone)?.attrs).toMatchObject({ affiliation: 'none', role: 'none' });
    }
    const info = await ask(bob, (id) => `<iq type='get' id='${id}' to='doomed@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    expect(errorCondition(info)).toBe('item-not-found');
  });
});

describe('registration (§7.10, §7.12)', () => {
  test('the form, then a submitted nick makes a member whose nick is reserved', async () => {
    await createInstantRoom(alice, 'clubhouse', 'Alice');
    const form = await ask(dave, (id) => `<iq type='get' id='${id}' to='clubhouse@${SERVICE}'><query xmlns='jabber:iq:register'/></iq>`);
    const fields = form.getChild('query')?.getChild('x', 'jabber:x:data')?.getChildren('field').map((f) => f.attrs.var);
    expect(fields).toEqual(['FORM_TYPE', 'muc#register_roomnick']);
    const submitted = await ask(dave, (id) => `<iq type='set' id='${id}' to='clubhouse@${SERVICE}'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>`
      + `<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#register</value></field><field var='muc#register_roomnick'><value>Davy</value></field></x></query></iq>`);
    expect(submitted.attrs.type).toBe('result');
    const members = await ask(alice, (id) => `<iq type='get' id='${id}' to='clubhouse@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member'/></query></iq>`);
    expect(members.getChild('query')?.getChildren('item').map((i) => i.attrs)).toEqual([{ affiliation: 'member', jid: 'dave@localhost', nick: 'Davy' }]);
    const reserved = await ask(dave, (id) => `<iq type='get' id='${id}' to='clubhouse@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info' node='x-roomuser-item'/></iq>`);
    expect(reserved.getChild('query')?.getChild('identity')?.attrs.name).toBe('Davy');
    expect(errorCondition(await join(bob, 'clubhouse', 'Davy'))).toBe('conflict');
    const self = await join(dave, 'clubhouse', 'Davy');
    expect(item(self)?.attrs.affiliation).toBe('member');
  });
});
