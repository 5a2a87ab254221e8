/** The pure parts behind the MUC service API and declared rooms: batch checks, config changes, room plans. */
import { describe, expect, test } from '@jest/globals';
import { planAffiliationBatch, type BatchRoom } from '../../muc/service/affiliation-batch.js';
import { configWithChanges } from '../../muc/configuration/config-changes.js';
import { defaultRoomConfig } from '../../muc/configuration/room-config.js';
import { checkDeclaredRoomNames, planDeclaredRooms } from '../../muc/declared-rooms/declared-room-plan.js';
import type { Affiliation } from '../../muc/rooms/roles-affiliations.js';

function batchRoom(affiliations: Record<string, Affiliation>): BatchRoom {
  return {
    affiliationOfBare: (bare) => affiliations[bare] ?? 'none',
    affiliationCount: Object.keys(affiliations).length,
    ownerCount: () => Object.values(affiliations).filter((affiliation) => affiliation === 'owner').length,
  };
}

describe('planAffiliationBatch', () => {
  const room = batchRoom({ 'o@x': 'owner', 'm@x': 'member' });

  test('bare JIDs, empty reasons dropped, in order', () => {
    const plan = planAffiliationBatch(room, [{ jid: 'a@x/res', affiliation: 'admin', reason: '' }, { jid: 'b@x', affiliation: 'outcast', reason: 'spam' }], 10);
    expect(plan.ok && plan.value.map((entry) => [entry.jid.toString(), entry.affiliation, entry.reason])).toEqual([['a@x', 'admin', undefined], ['b@x', 'outcast', 'spam']]);
  });

  test('the first entry at fault, by index', () => {
    expect(planAffiliationBatch(room, [{ jid: 'a@x', affiliation: 'member' }, { jid: '@@', affiliation: 'member' }], 10)).toEqual({ ok: false, error: { problem: 'invalid-jid', index: 1 } });
    expect(planAffiliationBatch(room, [{ jid: 'a@x', affiliation: 'boss' as Affiliation }], 10)).toEqual({ ok: false, error: { problem: 'invalid-affiliation', index: 0 } });
    expect(planAffiliationBatch(room, [{ jid: 'a@x', affiliation: 'member' }, { jid: 'A@x/r', affiliation: 'none' }], 10)).toEqual({ ok: false, error: { problem: 'duplicate-jid', index: 1 } });
    expect(planAffiliationBatch(room, [{ jid: 'm@x', affiliation: 'none' }, { jid: 'o@x', affiliation: 'admin' }], 10)).toEqual({ ok: false, error: { problem: 'last-owner', index: 1 } });
  });

  test('owners handed over in one batch; a room without owners may stay without', () => {
    expect(planAffiliationBatch(room, [{ jid: 'o@x', affiliation: 'member' }, { jid: 'n@x', affiliation: 'owner' }], 10).ok).toBe(true);
    expect(planAffiliationBatch(batchRoom({}), [{ jid: 'a@x', affiliation: 'member' }], 10).ok).toBe(true);
  });

  test('muc_max_affiliations: growing past it is refused at the entry that crosses it; shrinking is not', () => {
    const full = batchRoom({ 'o@x': 'owner', 'm@x': 'member' });
    expect(planAffiliationBatch(full, [{ jid: 'm@x', affiliation: 'admin' }, { jid: 'a@x', affiliation: 'member' }, { jid: 'b@x', affiliation: 'member' }], 3))
      .toEqual({ ok: false, error: { problem: 'affiliation-limit', index: 2 } });
    expect(planAffiliationBatch(full, [{ jid: 'm@x', affiliation: 'none' }, { jid: 'a@x', affiliation: 'member' }], 1).ok).toBe(true);
  });
});

describe('configWithChanges', () => {
  const current = defaultRoomConfig();

  test('only the given keys change; maxusers null is unlimited; a secret alone protects the room', () => {
    const changed = configWithChanges({ ...current, maxusers: 10 }, { roomname: 'R', maxusers: null, roomsecret: 'pw' }, 20);
    expect(changed.ok && [changed.value.roomname, changed.value.maxusers, changed.value.passwordprotectedroom, changed.value.publicroom]).toEqual(['R', undefined, true, true]);
  });

  test('refused like a form: types, options, unknown keys with a suggestion, history bound, language tag, password', () => {
    expect(configWithChanges(current, { roomnam: 'R' }, 20)).toMatchObject({ ok: false, error: expect.stringMatching(/roomnam.*roomname/) });
    expect(configWithChanges(current, { whois: 'everyone' }, 20).ok).toBe(false);
    expect(configWithChanges(current, { maxusers: 0 }, 20).ok).toBe(false);
    expect(configWithChanges(current, { historylength: 21 }, 20)).toEqual({ ok: false, error: expect.stringContaining('max_history_messages') });
    expect(configWithChanges(current, { lang: 'en us' }, 20).ok).toBe(false);
    expect(configWithChanges(current, { passwordprotectedroom: true }, 20).ok).toBe(false);
    expect(configWithChanges(current, { lang: 'en-GB', historylength: 20 }, 20).ok).toBe(true);
  });
});

describe('planDeclaredRooms', () => {
  const context = { service: 'conference.example.org', userHost: 'example.org', defaults: defaultRoomConfig(), maxHistory: 20 };

  test('short names on this service and the first VirtualHost; other services left out; persistent by default', () => {
    const plan = planDeclaredRooms([
      'lobby',
      { name: 'team@conference.example.org', config: { persistentroom: false }, affiliations: { alice: 'owner', 'bob@other.org': 'member' }, subject: 'Hi' },
      'elsewhere@muc.other.org',
    ], context);
    expect(plan.problems).toEqual([]);
    expect(plan.rooms.map((room) => [room.jid.toString(), room.config.persistentroom, room.affiliations.map(([jid, a]) => `${jid.toString()}=${a}`), room.subject])).toEqual([
      ['lobby@conference.example.org', true, [], undefined],
      ['team@conference.example.org', false, ['alice@example.org=owner', 'bob@other.org=member'], 'Hi'],
    ]);
  });

  test('a room that cannot be used is named and skipped; the others go on; the last of a name wins', () => {
    const plan = planDeclaredRooms(['a', { name: 'b', config: { historylength: 99 } }, { name: 'a', subject: 'second' }], context);
    expect(plan.problems).toEqual([expect.stringMatching(/room "b".*historylength/)]);
    expect(plan.rooms.map((room) => [room.jid.local, room.subject])).toEqual([['a', 'second']]);
    expect(planDeclaredRooms([{ name: 'c', affiliations: { alice: 'member' } }], { ...context, userHost: undefined }).problems)
      .toEqual([expect.stringMatching(/user "alice"/)]);
  });

  test('checkDeclaredRoomNames: the start-up check of names alone', () => {
    expect(checkDeclaredRoomNames(['lobby', { name: 'x@y.org', affiliations: { alice: 'owner' } }])).toBeUndefined();
    expect(checkDeclaredRoomNames(['lobby/nick@y.org'])).toMatch(/not a room name/);
    expect(checkDeclaredRoomNames([{ name: 'x', affiliations: { 'a@b/c': 'owner' } }])).toMatch(/user "a@b\/c"/);
  });
});
