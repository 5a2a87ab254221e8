/** Pure parts of the room engine: splicing `to`, occupant presence, room records, occupant ids, options. */
import { describe, expect, test } from '@jest/globals';
import { Element } from 'ltx';
import { Jid } from '../../server/jid/index.js';
import { createMemoryDriver } from '../../server/storage/index.js';
import { ChatRoom } from '../../muc/rooms/chat-room.js';
import { unknownConfigField } from '../../muc/configuration/config-fields.js';
import { loadOccupantIdSecret, OccupantIds } from '../../muc/rooms/occupant-ids.js';
import { occupantPresence } from '../../muc/delivery/occupant-presence.js';
import { mucOptionShape, roomDefaultsFrom, type MucOptions } from '../../muc/options.js';
import { encodeToAttribute, SharedStanza } from '../../muc/delivery/shared-stanza.js';
import { OccupantSession, RoomOccupant } from '../../muc/rooms/room-occupant.js';
import { parseRecord, recordConfig, restoreRecord, toRecord } from '../../muc/rooms/room-record.js';
import { defaultRoomConfig } from '../../muc/configuration/room-config.js';
import { RoomRegistry } from '../../muc/rooms/room-registry.js';
import type { Session } from '../../server/session/index.js';
import * as z from 'zod';

const ROOM = new Jid('tea', 'conference.localhost');
const ALICE = new Jid('alice', 'localhost', 'desk');

function newRoom(): ChatRoom {
  return new ChatRoom(ROOM, defaultRoomConfig(), 20, new RoomRegistry());
}

function occupantIn(room: ChatRoom, nick: string, user: Jid, presence = new Element('presence')): RoomOccupant {
  const occupant = new RoomOccupant(ROOM.withResource(nick), user.bare(), 'participant', 'id-1');
  room.addOccupant(occupant, new OccupantSession({} as Session, user, presence, undefined));
  return occupant;
}

describe('SharedStanza', () => {
  const text = (pieces: readonly Uint8Array[]): string => Buffer.concat(pieces).toString('utf8');

  test('puts the escaped to attribute after the element name, for every recipient from the same bytes', () => {
    const shared = new SharedStanza('<message from="a" type="groupchat"><body>x</body></message>');
    const toBob = encodeToAttribute(new Jid('bob', 'localhost', 'desk'));
    const toCarol = encodeToAttribute(new Jid('carol', 'localhost', 'phone'));
    expect(text(shared.addressedBy(toBob))).toBe('<message to="bob@localhost/desk" from="a" type="groupchat"><body>x</body></message>');
    expect(text(shared.addressedBy(toCarol))).toBe('<message to="carol@localhost/phone" from="a" type="groupchat"><body>x</body></message>');
    expect(text(new SharedStanza('<presence/>').addressedBy(toBob))).toBe('<presence to="bob@localhost/desk"/>');
  });

  test('keeps multibyte text and escaped characters intact, in the stanza and in the address', () => {
    const xml = '<message from="caf\u00e9@conference.localhost/Zo\u00eb" type="groupchat"><body>th\u00e9 \u2615 &lt;b&gt; &amp; \ud83d\ude00</body></message>';
    const to = encodeToAttribute(new Jid('ren\u00e9', 'localhost', 'a"b&c<d'));
    const delivered = text(new SharedStanza(xml).addressedBy(to));
    expect(delivered).toBe(`<message to="ren\u00e9@localhost/a&quot;b&amp;c&lt;d"${xml.slice('<message'.length)}`);
    expect(Buffer.byteLength(delivered)).toBe(Buffer.concat(new SharedStanza(xml).addressedBy(to)).length);
  });
});

describe('occupantPresence', () => {
  test('passes on show/status but not MUC elements or forged occupant ids; real JID only when allowed', () => {
    const room = newRoom();
    const presence = new Element('presence');
    presence.c('show').t('away');
    presence.c('x', { xmlns: 'http://jabber.org/protocol/muc' }).c('password').t('secret');
    presence.c('occupant-id', { xmlns: 'urn:xmpp:occupant-id:0', id: 'forged' });
    const occupant = occupantIn(room, 'Alice', ALICE, presence);
    const hidden = occupantPresence(room, occupant, {}, { kind: 'other', withJid: false });
    expect(hidden.getChildText('show')).toBe('away');
    expect(hidden.toString()).not.toContain('secret');
    expect(hidden.getChildren('occupant-id', 'urn:xmpp:occupant-id:0').map((el) => el.attrs.id)).toEqual(['id-1']);
    expect(hidden.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('item')?.attrs).toEqual({ affiliation: 'none', role: 'participant' });
    const shown = occupantPresence(room, occupant, {}, { kind: 'other', withJid: true });
    expect(shown.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('item')?.attrs.jid).toBe('alice@localhost/desk');
  });

  test('self presences carry 110 with the other codes in ascending order; the actor JID only for those who see JIDs', () => {
    const room = newRoom();
    const occupant = occupantIn(room, 'Alice', ALICE);
    const details = { type: 'unavailable', role: 'none', codes: [307], selfCodes: [210], actor: { nick: 'Mod', jid: new Jid('mod', 'localhost') }, reason: 'bye' } as const;
    const self = occupantPresence(room, occupant, details, { kind: 'self', jid: ALICE });
    const x = self.getChild('x', 'http://jabber.org/protocol/muc#user')!;
    expect(x.getChildren('status').map((s) => s.attrs.code)).toEqual(['110', '210', '307']);
    expect(x.getChild('item')?.getChild('actor')?.attrs).toEqual({ nick: 'Mod' });
    expect(x.getChild('item')?.getChildText('reason')).toBe('bye');
    const other = occupantPresence(room, occupant, details, { kind: 'other', withJid: true });
    expect(other.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('item')?.getChild('actor')?.attrs.jid).toBe('mod@localhost');
    expect(occupantPresence(room, occupant, { ...details, reason: '' }, { kind: 'self', jid: ALICE }).toString()).not.toContain('<reason');
  });
});

describe('room records', () => {
  test('configuration, affiliations, reserved nicks and subject round-trip through JSON', () => {
    const room = newRoom();
    room.setConfig({ ...room.config, persistentroom: true, roomname: 'Tea', maxusers: 30, presencebroadcast: ['moderator'] });
    room.setAffiliation(new Jid('alice', 'localhost'), 'owner');
    room.setAffiliation(new Jid('bob', 'localhost'), 'member');
    room.reserveNick(new Jid('bob', 'localhost'), 'Bobby');
    room.subject = { text: 'Hello', nick: 'Alice' };
    const stored: unknown = JSON.parse(JSON.stringify(toRecord(room)));
    const record = parseRecord(stored)!;
    const copy = newRoom();
    copy.setConfig(recordConfig(record, defaultRoomConfig()));
    restoreRecord(copy, record);
    expect(copy.config).toEqual(room.config);
    expect([...copy.affiliationEntries()]).toEqual([['alice@localhost', 'owner'], ['bob@localhost', 'member']]);
    expect(copy.reservedNick(new Jid('bob', 'localhost'))).toBe('Bobby');
    expect(copy.subject).toEqual({ text: 'Hello', nick: 'Alice' });
  });

  test('unreadable records are refused', () => {
    expect(parseRecord({ version: 2 })).toBeUndefined();
    expect(parseRecord({ version: 1, config: { whois: 'everyone' }, affiliations: {} })).toBeUndefined();
    expect(parseRecord({ version: 1, config: {}, affiliations: { 'a@b': 'king' } })).toBeUndefined();
  });
});

describe('occupant ids (XEP-0421)', () => {
  test('stable per room and user, different across rooms and users, and the secret persists', async () => {
    const store = createMemoryDriver().open<string>('conference.localhost', 'muc_service');
    const ids = new OccupantIds(await loadOccupantIdSecret(store));
    const again = new OccupantIds(await loadOccupantIdSecret(store));
    const bob = new Jid('bob', 'localhost');
    expect(ids.idFor(ROOM, ALICE)).toBe(again.idFor(ROOM, ALICE.bare()));
    expect(ids.idFor(ROOM, ALICE)).not.toBe(ids.idFor(ROOM, bob));
    expect(ids.idFor(ROOM, ALICE)).not.toBe(ids.idFor(new Jid('coffee', 'conference.localhost'), ALICE));
  });
});

describe('options and configuration fields', () => {
  test('the muc_room_default_* options make the defaults of a new room', () => {
    const options: MucOptions = z.object(mucOptionShape).parse({
      muc_room_default_public: false, muc_room_default_members_only: true, muc_room_default_public_jids: true,
      muc_room_default_history_length: 50, max_history_messages: 10, muc_room_default_language: 'en',
    });
    expect(roomDefaultsFrom(options)).toMatchObject({
      publicroom: false, membersonly: true, whois: 'anyone', historylength: 10, lang: 'en', persistentroom: false,
    });
  });

  test('unknown fields of a submitted configuration are named', () => {
    const form = new Element('x', { xmlns: 'jabber:x:data', type: 'submit' });
    form.c('field', { var: 'FORM_TYPE' }).c('value').t('http://jabber.org/protocol/muc#roomconfig');
    form.c('field', { var: 'muc#maxhistoryfetch' }).c('value').t('5');
    expect(unknownConfigField(form)).toBeUndefined();
    form.c('field', { var: 'muc#roomconfig_colour' }).c('value').t('red');
    expect(unknownConfigField(form)).toBe('muc#roomconfig_colour');
  });
});
