import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorageDriver, type StorageRouter } from '../../server/storage/index.js';

let dataPath: string;
let router: StorageRouter | undefined;

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-storage-router-'));
});

afterEach(async () => {
  await router?.close();
  router = undefined;
  await rm(dataPath, { recursive: true, force: true });
});

function build(setting: Parameters<typeof createStorageDriver>[0]): StorageRouter {
  const result = createStorageDriver(setting, dataPath);
  if (!result.ok) throw new Error(result.error);
  router = result.value;
  return router;
}

async function storesOnDisk(): Promise<string[]> {
  try {
    return await readdir(join(dataPath, 'localhost'));
  } catch {
    return [];
  }
}

describe('createStorageDriver', () => {
  test('defaults to the internal (json-file) driver for every store', async () => {
    const storage = build(undefined);
    expect(storage.driverFor('accounts')).toBe('internal');
    await storage.open<number>('localhost', 'accounts').set('a', 1);
    expect(await storesOnDisk()).toEqual(['accounts']);
  });

  test('a single name applies to every store', async () => {
    const storage = build('memory');
    expect(storage.driverFor('roster')).toBe('memory');
    await storage.open<number>('localhost', 'roster').set('a', 1);
    expect(await storage.open<number>('localhost', 'roster').get('a')).toBe(1);
    expect(await storesOnDisk()).toEqual([]);
  });

  test('a map routes the named stores and leaves the rest on internal', async () => {
    const storage = build({ roster: 'memory', offline: 'internal' });
    expect(storage.driverFor('roster')).toBe('memory');
    expect(storage.driverFor('offline')).toBe('internal');
    expect(storage.driverFor('accounts')).toBe('internal');
    await storage.open<number>('localhost', 'roster').set('a', 1);
    await storage.open<number>('localhost', 'accounts').set('a', 2);
    expect(await storage.open<number>('localhost', 'roster').get('a')).toBe(1);
    expect(await storesOnDisk()).toEqual(['accounts']);
    await storage.flush();
  });

  test('an unknown driver name is an error naming it', () => {
    const single = createStorageDriver('mysql', dataPath);
    expect(single.ok).toBe(false);
    if (!single.ok) expect(single.error).toMatch(/unknown storage driver "mysql".*internal, memory, postgres, sql/);
    const mapped = createStorageDriver({ roster: 'redis' }, dataPath);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.error).toMatch(/"redis" for store "roster"/);
  });
});
