/** The admin API's room operations: their pure parts (names, batches, state comparison, views, messages). */
import { describe, expect, test } from '@jest/globals';
import type { Occupant, Room, RoomConfig } from '../../muc/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { parseRoomName } from '../../admin/rooms/room-address.js';
import { parseAffiliationBatch } from '../../admin/rooms/affiliation-batch.js';
import { CREATED_ROOM_DEFAULTS, differingState, parseAffiliatedUser, parseAffiliationMap } from '../../admin/rooms/room-create-state.js';
import { createRoomBodySchema } from '../../admin/rooms/room-create-operation.js';
import { parseAlternateVenue } from '../../admin/rooms/room-destroy-operation.js';
import { nicksOfUser } from '../../admin/rooms/occupant-kick.js';
import { configChanges, occupantView, roomConfigJson } from '../../admin/rooms/room-views.js';
import { roomConfigChangesSchema, roomConfigSchema } from '../../admin/rooms/room-schemas.js';
import { directMessageSender, directMessageStanza } from '../../admin/messages/direct-message.js';
import { ROOM_FAILURE_STATUSES } from '../../admin/rooms/room-failures.js';
import { roomOperations } from '../../admin/rooms/index.js';

const jid = (text: string): Jid => {
  const parsed = parseJid(text);
  if (!parsed.ok) throw new Error(`bad test JID ${text}`);
  return parsed.value;
};

describe('room names', () => {
  test('a local part alone or a bare room JID, normalised', () => {
    expect(parseRoomName('Lobby')).toEqual({ ok: true, value: { local: 'lobby', domain: undefined } });
    expect(parseRoomName('Lobby@Conference.Example.ORG')).toEqual({ ok: true, value: { local: 'lobby', domain: 'conference.example.org' } });
  });

  test('without "@" the whole text is a local part, dots included', () => {
    expect(parseRoomName('team.alpha')).toEqual({ ok: true, value: { local: 'team.alpha', domain: undefined } });
  });

  test('anything else is invalid-jid: a full JID, a slash, an empty local part, forbidden characters', () => {
    for (const text of ['@conference.example.org', 'lobby@conference.example.org/nick', 'lobby/nick', 'a b"c', 'x@', 'lob<by']) {
      expect(parseRoomName(text)).toEqual({ ok: false, error: 'invalid-jid' });
    }
  });

  test('an alternate venue is a bare room JID', () => {
    expect(parseAlternateVenue('Other@Conference.Example.org')?.toString()).toBe('other@conference.example.org');
    expect(parseAlternateVenue('conference.example.org')).toBeUndefined();
    expect(parseAlternateVenue('other@conference.example.org/x')).toBeUndefined();
  });
});

describe('affiliated users', () => {
  test('a bare JID, or a local part on the default host; never a full JID', () => {
    expect(parseAffiliatedUser('Alice', 'example.org')?.toString()).toBe('alice@example.org');
    expect(parseAffiliatedUser('bob@other.example', 'example.org')?.toString()).toBe('bob@other.example');
    for (const text of ['alice@example.org/phone', '@example.org', 'a b@example.org', '']) expect(parseAffiliatedUser(text, 'example.org')).toBeUndefined();
  });

  test('a creation request\'s map names the first user that is not one', () => {
    expect(parseAffiliationMap({ alice: 'owner', 'x@y/z': 'member' }, 'example.org')).toEqual({ ok: false, error: 'x@y/z' });
    const parsed = parseAffiliationMap({ alice: 'owner', 'bob@example.org': 'member' }, 'example.org');
    expect(parsed.ok && parsed.value.map(([user, affiliation]) => `${user.toString()}=${affiliation}`)).toEqual(['alice@example.org=owner', 'bob@example.org=member']);
  });

  test('a batch: the first entry at fault by its index; duplicates after normalisation; reasons kept, empty ones dropped', () => {
    const entries = [
      { jid: 'alice@example.org', affiliation: 'member' as const, reason: 'welcome' },
      { jid: 'bob', affiliation: 'admin' as const, reason: '' },
    ];
    const parsed = parseAffiliationBatch(entries, 'example.org');
    expect(parsed.ok && parsed.value.map((change) => [String(change.jid), change.affiliation, change.reason])).toEqual([
      ['alice@example.org', 'member', 'welcome'], ['bob@example.org', 'admin', undefined],
    ]);
    expect(parseAffiliationBatch([...entries, { jid: 'x@y/z', affiliation: 'none' }], 'example.org')).toEqual({ ok: false, error: { problem: 'invalid-jid', index: 2 } });
    expect(parseAffiliationBatch([...entries, { jid: 'ALICE@Example.org', affiliation: 'none' }, { jid: '', affiliation: 'none' }], 'example.org'))
      .toEqual({ ok: false, error: { problem: 'duplicate-jid', index: 2 } });
  });

  test('a batch of 1,000 distinct users passes in one go', () => {
    const entries = Array.from({ length: 1000 }, (_, index) => ({ jid: `user${index}@example.org`, affiliation: 'member' as const }));
    const parsed = parseAffiliationBatch(entries, 'example.org');
    expect(parsed.ok && parsed.value.length).toBe(1000);
  });
});

const config: RoomConfig = {
  roomname: 'Lobby', roomdesc: '', lang: '', persistentroom: true, publicroom: true, membersonly: true, moderatedroom: false,
  passwordprotectedroom: false, roomsecret: '', whois: 'moderators', maxusers: undefined, changesubject: false, allowinvites: false,
  allowpm: 'anyone', historylength: 20, presencebroadcast: ['moderator', 'participant', 'visitor'], enablearchiving: true,
};

/** A room's read-only view as the service hands it out, with a fixed state. */
function roomView(affiliations: Record<string, 'owner' | 'member'>, subject: string | undefined): Room {
  return {
    jid: jid('lobby@conference.example.org'), exists: true, config, locked: false, subject, occupantCount: 0,
    occupants: () => [], occupant: () => undefined,
    affiliation: (user: Jid) => affiliations[user.bare().toString()] ?? 'none',
    affiliations: () => [],
  };
}

describe('idempotent creation', () => {
  const room = roomView({ 'alice@example.org': 'owner' }, 'Welcome');
  const alice = jid('alice@example.org');

  test('the same state: nothing differs, whatever the order of presencebroadcast and the keys left out', () => {
    expect(differingState(room, { config: { ...CREATED_ROOM_DEFAULTS, membersonly: true, presencebroadcast: ['visitor', 'moderator', 'participant'] }, affiliations: [[alice, 'owner']], subject: 'Welcome' })).toEqual([]);
    expect(differingState(room, { config: {}, affiliations: [], subject: undefined })).toEqual([]);
  });

  test('a different state: every differing key is named', () => {
    expect(differingState(room, {
      config: { membersonly: false, maxusers: 10, persistentroom: true },
      affiliations: [[alice, 'member'], [jid('bob@example.org'), 'member']],
      subject: 'Other',
    })).toEqual(['config.membersonly', 'config.maxusers', 'affiliations.alice@example.org', 'affiliations.bob@example.org', 'subject']);
  });
});

describe('schemas and views', () => {
  test('a creation body takes the fixture\'s room keys and refuses a typo', () => {
    const body = { config: { membersonly: true, maxusers: null, whois: 'anyone' }, affiliations: { alice: 'owner' }, subject: 'Hi' };
    expect(createRoomBodySchema.safeParse(body).success).toBe(true);
    expect(createRoomBodySchema.safeParse({ config: { membersonyl: true } }).success).toBe(false);
    expect(createRoomBodySchema.safeParse({ name: 'lobby' }).success).toBe(false);
    expect(createRoomBodySchema.safeParse({ affiliations: { alice: 'king' } }).success).toBe(false);
    expect(roomConfigChangesSchema.safeParse({ maxusers: 0 }).success).toBe(false);
  });

  test('maxusers: null in JSON is unlimited (undefined) in the engine, and back; only the keys given', () => {
    expect(configChanges({ maxusers: null, membersonly: true })).toEqual({ maxusers: undefined, membersonly: true });
    expect('maxusers' in configChanges({ maxusers: null })).toBe(true);
    expect('maxusers' in configChanges({ membersonly: true })).toBe(false);
    const json = roomConfigJson(config);
    expect(json.maxusers).toBeNull();
    expect(roomConfigSchema.safeParse(json).success).toBe(true);
    expect(roomConfigJson({ ...config, maxusers: 30 }).maxusers).toBe(30);
  });

  const occupant = (nick: string, user: string): Occupant => ({
    nick, jid: jid(`lobby@conference.example.org/${nick}`), bareJid: jid(user), sessions: [jid(`${user}/phone`)],
    role: 'participant', affiliation: 'member', occupantId: `id-${nick}`,
  });

  test('an occupant shows its real JIDs', () => {
    expect(occupantView(occupant('Al', 'alice@example.org'))).toEqual({
      nick: 'Al', role: 'participant', affiliation: 'member', occupantId: 'id-Al', jid: 'alice@example.org', sessions: ['alice@example.org/phone'],
    });
  });

  test('a kick by JID finds every nickname of that user, by bare JID', () => {
    const occupants = [occupant('Al', 'alice@example.org'), occupant('Bob', 'bob@example.org'), occupant('Alice2', 'alice@example.org')];
    expect(nicksOfUser(occupants, jid('Alice@example.org/laptop'))).toEqual(['Al', 'Alice2']);
    expect(nicksOfUser(occupants, jid('carol@example.org'))).toEqual([]);
  });
});

describe('direct messages', () => {
  const bob = jid('bob@example.org');

  test('from the recipient\'s host, or a JID of that host, never another domain', () => {
    expect(directMessageSender(bob, undefined)).toEqual({ ok: true, value: jid('example.org') });
    const noreply = directMessageSender(bob, 'NoReply@example.org');
    expect(noreply.ok && noreply.value.toString()).toBe('noreply@example.org');
    for (const from of ['other.example', 'alice@other.example', 'not a jid@']) expect(directMessageSender(bob, from)).toEqual({ ok: false, error: 'invalid-from' });
  });

  test('the stanza: type, id, subject only when given, body', () => {
    const stanza = directMessageStanza({ from: jid('example.org'), to: bob, id: 'm1', type: 'chat', body: 'a < b' });
    expect(stanza.toString()).toBe('<message xmlns="jabber:client" from="example.org" to="bob@example.org" type="chat" id="m1"><body>a &lt; b</body></message>');
    const headline = directMessageStanza({ from: jid('example.org'), to: bob, id: 'm2', type: 'headline', body: 'b', subject: 'S' });
    expect(headline.getChildText('subject')).toBe('S');
  });
});

describe('the operation list', () => {
  test('unique operation ids, every failure code has a status, paths below /rooms or /messages', () => {
    const ids = roomOperations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(13);
    for (const operation of roomOperations) {
      expect(operation.path).toMatch(/^\/(rooms|messages)/);
      for (const code of operation.failures ?? []) expect(ROOM_FAILURE_STATUSES).toHaveProperty([code]);
    }
  });

  test('scopes: reads need rooms:read, changes rooms:write, messages and invitations messages:write', () => {
    const scopeOf = Object.fromEntries(roomOperations.map((operation) => [`${operation.method} ${operation.path}`, operation.scope]));
    expect(scopeOf).toEqual({
      'GET /rooms': 'rooms:read', 'PUT /rooms/{room}': 'rooms:write', 'GET /rooms/{room}': 'rooms:read',
      'PATCH /rooms/{room}': 'rooms:write', 'DELETE /rooms/{room}': 'rooms:write',
      'GET /rooms/{room}/occupants': 'rooms:read', 'POST /rooms/{room}/kick': 'rooms:write', 'PATCH /rooms/{room}/occupants/{nick}': 'rooms:write',
      'GET /rooms/{room}/affiliations': 'rooms:read', 'POST /rooms/{room}/affiliations': 'rooms:write',
      'POST /rooms/{room}/messages': 'messages:write', 'POST /rooms/{room}/invitations': 'messages:write', 'POST /messages': 'messages:write',
    });
  });
});
