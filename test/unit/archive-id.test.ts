import { expect, test } from '@jest/globals';
import { archiveIdTime, newArchiveId } from '../../server/storage/archive-id.js';

test('ids made one after another sort in the order they were made, within and across milliseconds', () => {
  const ids: string[] = [];
  for (let i = 0; i < 5_000; i++) ids.push(newArchiveId(1_700_000_000_000 + Math.floor(i / 1000)));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('an earlier clock reading never makes an id that sorts before the last one', () => {
  const later = newArchiveId(1_800_000_000_000);
  const earlier = newArchiveId(1_799_999_999_000);
  expect(earlier > later).toBe(true);
});

test('the time of an id is readable back, and strings that are not ids have none', () => {
  const id = newArchiveId(1_900_000_000_123);
  expect(id).toMatch(/^[0-9a-v]{22}$/);
  expect(archiveIdTime(id)).toBe(1_900_000_000_123);
  expect(archiveIdTime('not-an-id')).toBeUndefined();
  expect(archiveIdTime(id.toUpperCase())).toBeUndefined();
});

test('ids made in one millisecond carry random parts that do not repeat across pooled random blocks', () => {
  // More ids than one pooled block of random bytes serves (4,096 bytes, 5 per id).
  const randomParts = new Set<string>();
  for (let i = 0; i < 3_000; i++) randomParts.add(newArchiveId(2_000_000_000_000).slice(14));
  // 40 random bits each: a repeat among 3,000 is a reused byte, not chance (odds about 4e-6).
  expect(randomParts.size).toBe(3_000);
});
