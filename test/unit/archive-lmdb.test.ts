/**
 * The `internal` driver's archives (LMDB) against the archive contract every driver shares, and
 * what only a persistent engine has: items survive closing and reopening, several stores and
 * hosts share one environment apart, and large removals go in chunks.
 */
import { describe, test, expect, afterEach } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveIdFloor, newArchiveId } from '../../server/storage/archive-id.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';
import { describeArchiveContract, makeItem } from '../helpers/archive-contract.js';

async function openDriver(): Promise<{ driver: ReturnType<typeof createJsonFileDriver>; dataPath: string }> {
  const dataPath = await mkdtemp(join(tmpdir(), 'salon-archive-'));
  return { driver: createJsonFileDriver(dataPath), dataPath };
}

describeArchiveContract('internal (lmdb)', async () => {
  const { driver, dataPath } = await openDriver();
  return {
    store: driver.openArchive('localhost', 'archive'),
    close: async () => {
      await driver.close();
      await rm(dataPath, { recursive: true, force: true });
    },
  };
});

describe('internal driver archives on disk', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  test('items survive closing the driver and opening the data directory again', async () => {
    const { driver, dataPath } = await openDriver();
    cleanups.push(() => rm(dataPath, { recursive: true, force: true }));
    const items = [makeItem('bob@localhost'), makeItem('bob@localhost/phone')];
    for (const item of items) await driver.openArchive('localhost', 'archive').append('alice@localhost', item);
    await driver.close();
    const reopened = createJsonFileDriver(dataPath);
    cleanups.push(() => reopened.close());
    const page = await reopened.openArchive('localhost', 'archive').query('alice@localhost', { limit: 10, with: 'bob@localhost' });
    expect(page).toEqual({ items, complete: true, count: 2 });
  });

  test('hosts and stores share the environment without seeing each other', async () => {
    const { driver, dataPath } = await openDriver();
    cleanups.push(async () => {
      await driver.close();
      await rm(dataPath, { recursive: true, force: true });
    });
    const user = makeItem('bob@localhost');
    const room = makeItem('room@muc.localhost/bob');
    const other = makeItem('bob@example.org');
    await driver.openArchive('localhost', 'archive').append('alice@localhost', user);
    await driver.openArchive('muc.localhost', 'muc_log').append('alice@localhost', room);
    await driver.openArchive('example.org', 'archive').append('alice@localhost', other);
    const read = async (host: string, store: string): Promise<unknown> => {
      const page = await driver.openArchive(host, store).query('alice@localhost', { limit: 10 });
      return typeof page === 'string' ? page : page.items;
    };
    expect(await read('localhost', 'archive')).toEqual([user]);
    expect(await read('muc.localhost', 'muc_log')).toEqual([room]);
    expect(await read('example.org', 'archive')).toEqual([other]);
    expect(await driver.openArchive('localhost', 'archive').deleteOlderThan(Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(await read('muc.localhost', 'muc_log')).toEqual([room]);
  });

  test('a driver whose archives are never used creates no archive file', async () => {
    const { driver, dataPath } = await openDriver();
    cleanups.push(() => rm(dataPath, { recursive: true, force: true }));
    driver.openArchive('localhost', 'archive');
    await driver.open<number>('localhost', 'things').set('k', 1);
    await driver.close();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dataPath)).toEqual(['localhost']);
  });
});

test('an id floor sorts after the ids of earlier times and at or before those of its own and later', () => {
  const at = 2_100_000_000_000;
  const [before, same, after] = [newArchiveId(at - 1), newArchiveId(at), newArchiveId(at + 1)];
  expect(before < archiveIdFloor(at)).toBe(true);
  expect(archiveIdFloor(at) <= same && same < archiveIdFloor(at + 1)).toBe(true);
  expect(archiveIdFloor(at) < after).toBe(true);
  expect(after < archiveIdFloor(Number.MAX_SAFE_INTEGER)).toBe(true);
  expect(archiveIdFloor(-5)).toBe('0000000000');
});
