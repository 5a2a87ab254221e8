/** The room engine's hook points and its programmatic service API, as plugins use them. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { StanzaError } from '../../server/errors/index.js';
import { Priority } from '../../server/hooks/index.js';
import type { MucService, OccupantPreJoinEvent } from '../../muc/index.js';
import { coreOf } from '../../server/core/index.js';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, MUC_ADMIN, SERVICE, since, statusCodes, sync, users,
} from '../helpers/muc-harness.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
const removers: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({
    users: users('alice', 'bob', 'carol'),
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { muc_hook_deadline: 0.5 })],
  });
  [alice, bob, carol] = await Promise.all([
    login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'), login(server.port, 'carol', 'laptop'),
  ]);
});
afterEach(() => {
  for (const remove of removers.splice(0)) remove();
});
afterAll(async () => {
  for (const client of [alice, bob, carol]) client?.close();
  await server.stop();
});

// The hook bus is the engine's internal side, reached through the core, not the public handle.
const bus = () => coreOf(server).host(SERVICE)!.hooks;
const service = (): MucService => server.muc(SERVICE);
const discoInfo = (client: RawClient, room: string) =>
  ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);

/** Registers a pre-join policy that records every call and refuses the listed nicknames (after a delay). */
function joinPolicy(refused: readonly string[]): OccupantPreJoinEvent[] {
  const calls: OccupantPreJoinEvent[] = [];
  removers.push(bus().on('muc-occupant-pre-join', async (event) => {
    calls.push(event);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return refused.includes(event.occupant.nick) ? StanzaError.auth('not-authorized') : undefined;
  }, Priority.Policy));
  return calls;
}

describe('muc-occupant-pre-join', () => {
  test('a vetoed first join gets the presence error (id, by = service) and leaves no room; the next allowed join creates it', async () => {
    const calls = joinPolicy(['Mallory']);
    const refused = await join(alice, 'newroom', 'Mallory', { id: 'j1' });
    expect(refused.attrs).toMatchObject({ type: 'error', id: 'j1', from: `newroom@${SERVICE}/Mallory`, to: 'alice@localhost/desk' });
    expect(refused.getChild('error')?.attrs).toMatchObject({ type: 'auth', by: SERVICE });
    expect(errorCondition(refused)).toBe('not-authorized');
    expect(calls[0]?.room.exists).toBe(false);
    expect(calls[0]?.occupant.bareJid.toString()).toBe('alice@localhost');
    expect(errorCondition(await discoInfo(bob, 'newroom'))).toBe('item-not-found');
    const created = await join(bob, 'newroom', 'Bob');
    expect(statusCodes(created)).toEqual([110, 201]);
    expect(item(created)?.attrs.affiliation).toBe('owner');
  });

  test('an invalid nick never reaches the hook; an allow does not bypass bans or passwords', async () => {
    const calls = joinPolicy([]);
    await createInstantRoom(alice, 'gated', 'Alice');
    const before = calls.length;
    expect(errorCondition(await join(bob, 'gated', 'bad\u200bnick'))).toBe('jid-malformed');
    expect(calls.length).toBe(before);
    expect((await ask(alice, (id) => `<iq type='set' id='${id}' to='gated@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='outcast' jid='carol@localhost'/></query></iq>`)).attrs.type).toBe('result');
    expect(errorCondition(await join(carol, 'gated', 'Carol'))).toBe('forbidden');
    expect(calls.length).toBe(before + 1);
    expect(calls.at(-1)?.occupant.nick).toBe('Carol');
    expect((await configure(alice, 'gated', { 'muc#roomconfig_roomsecret': 'pw' })).attrs.type).toBe('result');
    expect(errorCondition(await join(bob, 'gated', 'Bob'))).toBe('not-authorized');
    expect(calls.at(-1)?.occupant.nick).toBe('Bob');
  });

  test('a vetoed join broadcasts nothing; the hook runs for every new session and for nick changes, whose veto keeps the old nick', async () => {
    const calls = joinPolicy(['Admin']);
    await createInstantRoom(alice, 'watch', 'Alice');
    await enter(bob, 'watch', 'Bob');
    await sync(alice);
    const seenAlice = alice.received.length;
    expect(errorCondition(await join(carol, 'watch', 'Admin'))).toBe('not-authorized');
    const bob2 = await login(server.port, 'bob', 'second');
    try {
      await enter(bob2, 'watch', 'Bob');
      expect(calls.filter((call) => call.occupant.nick === 'Bob').map((call) => call.kind)).toEqual(['join', 'session']);
      const mark = bob2.received.length;
      bob2.send(`<presence to='watch@${SERVICE}/Bob' type='unavailable'/>`);
      await bob2.waitFor((el) => el.attrs.type === 'unavailable', 3000, mark);
    } finally {
      bob2.close();
    }
    const renamed = await join(bob, 'watch', 'Admin');
    expect(errorCondition(renamed)).toBe('not-authorized');
    expect(calls.at(-1)).toMatchObject({ kind: 'nick-change' });
    expect(calls.at(-1)?.occupant.nick).toBe('Admin');
    bob.send(`<message to='watch@${SERVICE}' type='groupchat' id='still-bob'><body>still here</body></message>`);
    const said = await alice.waitFor((el) => el.attrs.id === 'still-bob', 3000, seenAlice);
    expect(said.attrs.from).toBe(`watch@${SERVICE}/Bob`);
    expect(since(alice, seenAlice).some((el) => el.name === 'presence' && String(el.attrs.from).endsWith('/Admin'))).toBe(false);
  });

  test('a hook that misses its deadline refuses the join, without delaying other senders', async () => {
    removers.push(bus().on('muc-occupant-pre-join', (event) => (event.room.jid.local === 'slow' ? new Promise(() => undefined) : undefined), Priority.Policy));
    let slowSettled = false;
    const pending = join(alice, 'slow', 'Alice').finally(() => (slowSettled = true));
    const fast = await join(bob, 'quick', 'Bob');
    expect(fast.attrs.type).toBeUndefined();
    expect(slowSettled).toBe(false);
    const refused = await pending;
    expect(errorCondition(refused)).toBe('internal-server-error');
    expect(errorCondition(await discoInfo(alice, 'slow'))).toBe('item-not-found');
  });
});

describe('other hook points', () => {
  test('pre-create, pre-change, broadcast and register vetoes; created/joined/left/destroyed notifications', async () => {
    const seen: string[] = [];
    removers.push(bus().on('muc-room-created', ({ room }) => void seen.push(`created ${room.jid.local}`)));
    removers.push(bus().on('muc-occupant-joined', ({ occupant, kind }) => void seen.push(`joined ${occupant.nick} ${kind}`)));
    removers.push(bus().on('muc-occupant-left', ({ occupant, reason }) => void seen.push(`left ${occupant.nick} ${reason}`)));
    removers.push(bus().on('muc-room-destroyed', ({ room, cause }) => void seen.push(`destroyed ${room.jid.local} ${cause}`)));
    removers.push(bus().on('muc-room-pre-create', ({ room }) => (room.jid.local === 'forbidden-name' ? StanzaError.cancel('not-allowed') : undefined)));
    removers.push(bus().on('muc-occupant-pre-change', ({ change }) => (change.kind === 'role' && change.role === 'none' ? StanzaError.cancel('not-allowed', { text: 'No kicks today' }) : undefined)));
    removers.push(bus().on('muc-broadcast-message', ({ stanza }) => (stanza.getChildText('body') === 'spam' ? StanzaError.modify('policy-violation') : undefined)));
    removers.push(bus().on('muc-register-pre', ({ nick }) => (nick === 'Taken' ? StanzaError.auth('not-authorized') : undefined)));

    expect(errorCondition(await join(alice, 'forbidden-name', 'Alice'))).toBe('not-allowed');
    await createInstantRoom(alice, 'hooks', 'Alice');
    await enter(bob, 'hooks', 'Bob');
    const kick = await ask(alice, (id) => `<iq type='set' id='${id}' to='hooks@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item nick='Bob' role='none'/></query></iq>`);
    expect(errorCondition(kick)).toBe('not-allowed');
    const seenBob = bob.received.length;
    bob.send(`<message to='hooks@${SERVICE}' type='groupchat' id='spam1'><body>spam</body></message>`);
    expect(errorCondition(await bob.waitFor((el) => el.attrs.id === 'spam1', 3000, seenBob))).toBe('policy-violation');
    const register = await ask(bob, (id) => `<iq type='set' id='${id}' to='hooks@${SERVICE}'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>`
      + `<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#register</value></field><field var='muc#register_roomnick'><value>Taken</value></field></x></query></iq>`);
    expect(register.getChild('error')?.attrs).toMatchObject({ type: 'auth', by: SERVICE });
    bob.send(`<presence to='hooks@${SERVICE}/Bob' type='unavailable'/>`);
    alice.send(`<presence to='hooks@${SERVICE}/Alice' type='unavailable'/>`);
    await alice.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `hooks@${SERVICE}/Alice`, 3000);
    expect(seen).toEqual(['created hooks', 'joined Alice join', 'joined Bob join', 'left Bob left', 'left Alice left', 'destroyed hooks emptied']);
  });
});

describe('the MucService API', () => {
  test('kick by nick: every session of the occupant gets 307 + 110 and no actor; the others 307; reason only when given', async () => {
    await createInstantRoom(alice, 'snuggery', 'Alice');
    await enter(bob, 'snuggery', 'Bob');
    const bob2 = await login(server.port, 'bob', 'tablet');
    try {
      await enter(bob2, 'snuggery', 'Bob');
      await enter(carol, 'snuggery', 'Carol');
      await sync(alice);
      const marks = [bob.received.length, bob2.received.length, carol.received.length];
      expect(service().kick('Snuggery@Conference.Localhost', 'Bob', { reason: 'spam' })).toEqual({ ok: true, value: undefined });
      for (const [client, mark] of [[bob, marks[0]!], [bob2, marks[1]!]] as const) {
        const self = await client.waitFor((el) => el.attrs.type === 'unavailable', 3000, mark);
        expect(statusCodes(self)).toEqual([110, 307]);
        expect(item(self)?.attrs).toMatchObject({ role: 'none', affiliation: 'none' });
        expect(item(self)?.getChild('actor')).toBeUndefined();
        expect(item(self)?.getChildText('reason')).toBe('spam');
      }
      const other = await carol.waitFor((el) => el.attrs.from === `snuggery@${SERVICE}/Bob`, 3000, marks[2]);
      expect(statusCodes(other)).toEqual([307]);
      expect(service().occupants(`snuggery@${SERVICE}`)).toMatchObject({ ok: true });
      const nicks = service().room(`snuggery@${SERVICE}`)?.occupants().map((o) => o.nick);
      expect(nicks).toEqual(['Alice', 'Carol']);
    } finally {
      bob2.close();
    }
  });

  test('typed errors for unknown rooms and nicks (nicks are case-sensitive); owners can be kicked; no <reason/> when empty', async () => {
    expect(service().kick(`ghost@${SERVICE}`, 'Bob')).toEqual({ ok: false, error: 'room-not-found' });
    expect(service().kick(`snuggery@${SERVICE}`, 'carol')).toEqual({ ok: false, error: 'nick-not-found' });
    expect(service().kick('snuggery@localhost', 'Carol')).toEqual({ ok: false, error: 'room-not-found' });
    const mark = alice.received.length;
    expect(service().kick(`snuggery@${SERVICE}`, 'Alice', { reason: '' }).ok).toBe(true);
    const self = await alice.waitFor((el) => el.attrs.type === 'unavailable', 3000, mark);
    expect(item(self)?.getChild('reason')).toBeUndefined();
  });

  test('setAffiliation bans and destroy removes the room', async () => {
    await createInstantRoom(alice, 'apiroom', 'Alice');
    await enter(carol, 'apiroom', 'Carol');
    const mark = carol.received.length;
    expect(await service().setAffiliation(`apiroom@${SERVICE}`, 'carol@localhost', 'outcast')).toEqual({ ok: true, value: undefined });
    expect(statusCodes(await carol.waitFor((el) => el.attrs.type === 'unavailable', 3000, mark))).toEqual([110, 301]);
    expect(await service().setAffiliation(`apiroom@${SERVICE}`, 'alice@localhost', 'member')).toEqual({ ok: false, error: 'last-owner' });
    expect(await service().destroy(`apiroom@${SERVICE}`, { reason: 'closing' })).toEqual({ ok: true, value: undefined });
    expect(service().room(`apiroom@${SERVICE}`)).toBeUndefined();
  });
});

describe('restrict_room_creation', () => {
  test('true: only server admins create rooms; "local": users of the parent domain', async () => {
    const restricted = await startTestServer({
      users: { ...users('alice', 'bob'), 'zed@elsewhere.test': 'zed-secret' },
      globals: { admins: ['alice@localhost'] },
      hosts: [
        VirtualHost('localhost'), VirtualHost('elsewhere.test'),
        Component(SERVICE, 'muc', { restrict_room_creation: true }),
        Component('rooms.localhost', 'muc', { restrict_room_creation: 'local' }),
      ],
    });
    const [admin, user] = await Promise.all([login(restricted.port, 'alice', 'a'), login(restricted.port, 'bob', 'b')]);
    const foreign = await rawLogin(restricted.port, 'zed@elsewhere.test', 'zed-secret', 'z');
    try {
      expect(errorCondition(await join(user, 'bobs', 'Bob'))).toBe('not-allowed');
      expect(statusCodes(await join(admin, 'alices', 'Alice'))).toContain(201);
      const joinOther = async (client: RawClient, room: string): Promise<Element> => {
        const mark = client.received.length;
        client.send(`<presence to='${room}@rooms.localhost/Me'><x xmlns='http://jabber.org/protocol/muc'/></presence>`);
        return client.waitFor((el) => el.name === 'presence' && String(el.attrs.from).startsWith(`${room}@rooms.localhost/`), 3000, mark);
      };
      expect(statusCodes(await joinOther(user, 'local-room'))).toContain(201);
      expect(errorCondition(await joinOther(foreign, 'foreign-room'))).toBe('not-allowed');
    } finally {
      admin.close();
      user.close();
      foreign.close();
      await restricted.stop();
    }
  });
});
