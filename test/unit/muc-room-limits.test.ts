/** Pure parts of the MUC bounds: rooms counted per creator, affiliation counts, shipped defaults. */
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { affiliationCountAfter, checkAffiliationCapacity, DEFAULT_MAX_AFFILIATIONS } from '../../muc/moderation/affiliation-changes.js';
import { ChatRoom } from '../../muc/rooms/chat-room.js';
import { mucOptionShape } from '../../muc/options.js';
import { defaultRoomConfig } from '../../muc/configuration/room-config.js';
import { parseRecord, restoreRecord, toRecord } from '../../muc/rooms/room-record.js';
import { RoomRegistry } from '../../muc/rooms/room-registry.js';
import type { Affiliation } from '../../muc/rooms/roles-affiliations.js';
import { Jid } from '../../server/jid/index.js';

function room(registry: RoomRegistry, local: string, creator?: string): ChatRoom {
  const made = new ChatRoom(new Jid(local, 'conference.localhost'), defaultRoomConfig(), 20, registry);
  made.creator = creator;
  return made;
}

describe('rooms per creator', () => {
  test('the registry counts registered rooms by creator; removing (twice) or re-adding does not skew it', () => {
    const registry = new RoomRegistry();
    const [a, b, c] = [room(registry, 'a', 'alice@localhost'), room(registry, 'b', 'alice@localhost'), room(registry, 'c')];
    for (const r of [a, b, c]) registry.add(r);
    registry.add(a);
    expect([registry.createdBy('alice@localhost'), registry.size]).toEqual([2, 3]);
    registry.remove(a);
    registry.remove(a);
    expect(registry.createdBy('alice@localhost')).toBe(1);
    // A new room under a taken address replaces the old one, whose creator loses it.
    registry.add(room(registry, 'b', 'bob@localhost'));
    expect([registry.createdBy('alice@localhost'), registry.createdBy('bob@localhost'), registry.size]).toEqual([0, 1, 2]);
  });

  test('the creator is stored with a persistent room and counted again after a restart', () => {
    const registry = new RoomRegistry();
    const original = room(registry, 'kept', 'alice@localhost');
    const record = parseRecord(JSON.parse(JSON.stringify(toRecord(original))));
    expect(record?.creator).toBe('alice@localhost');
    const restored = room(registry, 'kept');
    restoreRecord(restored, record!);
    registry.add(restored);
    expect(registry.createdBy('alice@localhost')).toBe(1);
    // Records written before the creator was kept still load, counted for nobody.
    const old = parseRecord({ version: 1, config: {}, affiliations: {} });
    expect(old?.creator).toBeUndefined();
  });
});

describe('affiliation counts', () => {
  const lists = new Map<string, Affiliation>([['a@x', 'owner'], ['b@x', 'member']]);
  const current = (bare: string): Affiliation => lists.get(bare) ?? 'none';

  test.each([
    ['a new member', [{ bare: 'c@x', affiliation: 'member' }], 3],
    ['a change of an existing entry', [{ bare: 'b@x', affiliation: 'admin' }], 2],
    ['a removal and an addition', [{ bare: 'b@x', affiliation: 'none' }, { bare: 'c@x', affiliation: 'outcast' }], 2],
    ['the same new JID twice, last one none', [{ bare: 'c@x', affiliation: 'member' }, { bare: 'c@x', affiliation: 'none' }], 2],
    ['removing someone without an affiliation', [{ bare: 'z@x', affiliation: 'none' }], 2],
  ] as const)('%s', (_name, changes, expected) => {
    expect(affiliationCountAfter(2, current, changes)).toBe(expected);
  });

  test('growing past the bound is policy-violation (modify); shrinking is always allowed', () => {
    expect(checkAffiliationCapacity(2, 3, 3)).toBeUndefined();
    const refused = checkAffiliationCapacity(3, 4, 3);
    expect([refused?.condition, refused?.type]).toEqual(['policy-violation', 'modify']);
    expect(checkAffiliationCapacity(10, 9, 3)).toBeUndefined();
    expect(checkAffiliationCapacity(10, 10, 3)).toBeUndefined();
  });
});

describe('shipped defaults', () => {
  test('the bounds a normal service never reaches', () => {
    const options = z.object(mucOptionShape).parse({});
    expect({
      rooms: options.muc_max_rooms, perUser: options.muc_max_rooms_per_user,
      affiliations: options.muc_max_affiliations, historyBytes: options.muc_max_history_bytes,
    }).toEqual({ rooms: 10_000, perUser: 100, affiliations: DEFAULT_MAX_AFFILIATIONS, historyBytes: 256 * 1024 });
    expect(DEFAULT_MAX_AFFILIATIONS).toBe(2000);
  });
});
