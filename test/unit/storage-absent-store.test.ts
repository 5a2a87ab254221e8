/**
 * A store whose directory does not exist yet answers "absent" from memory while its ancestor is
 * watched (read-cache.ts, directory-watch.ts): a first login reads no block-list or offline file
 * nobody ever wrote. Whoever creates the directory, the values written are seen.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

let dir: string;
const drivers: StorageDriver[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-absent-store-'));
});
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  await rm(dir, { recursive: true, force: true });
});

function open(): StorageDriver {
  const driver = createJsonFileDriver(dir);
  drivers.push(driver);
  return driver;
}

test('a value written into a store that had no directory is read back at once', async () => {
  const driver = open();
  await driver.open('localhost', 'warmup').set('k', 1); // the host directory exists: the store's ancestor is watched
  const store = driver.open<number>('localhost', 'blocklist');
  expect(await store.get('alice')).toBeUndefined();
  await store.set('alice', 7);
  expect(await store.get('alice')).toBe(7);
  const log = driver.openLog!<number>('localhost', 'offline');
  expect(await log.read('alice')).toEqual([]);
  await log.append('alice', 1);
  expect(await log.read('alice')).toEqual([1]);
});

test('a store directory another process creates is noticed', async () => {
  const server = open();
  await server.open('localhost', 'warmup').set('k', 1);
  const store = server.open<number>('localhost', 'blocklist');
  expect(await store.get('bob')).toBeUndefined();
  await open().open<number>('localhost', 'blocklist').set('bob', 3);
  const deadline = Date.now() + 3_000;
  while ((await store.get('bob')) === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await store.get('bob')).toBe(3);
});
