/**
 * `knownAbsent`: a store says, without I/O, that a key has no value, so that a login's presence
 * needs no vCard or PEP read for the many users who never stored one. It must never say so of a
 * key that has a value: written here (even while the write is still queued), or by another process.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValueStore, StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';
import { createMemoryDriver } from '../../server/storage/memory-driver.js';

let dir: string;
const drivers: StorageDriver[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-known-absent-'));
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

async function eventually(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 3_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

test('a store with no directory knows every key absent, until a value is written', async () => {
  const driver = open();
  await driver.open('localhost', 'warmup').set('k', 1); // the host directory exists and is watched
  const store = driver.open<number>('localhost', 'vcard');
  expect(store.knownAbsent?.('alice')).toBe(true);
  const writing = store.set('alice', 7);
  expect(store.knownAbsent?.('alice')).toBe(false); // queued, not yet on disk
  await writing;
  expect(store.knownAbsent?.('alice')).toBe(false);
  expect(await store.get('alice')).toBe(7);
  await store.delete('alice');
  await store.get('alice'); // the read that finds the file gone is remembered
  expect(store.knownAbsent?.('alice')).toBe(true);
});

test('in a watched directory, keys missing from its listing are known absent; files others add are not', async () => {
  const driver = open();
  const store = driver.open<number>('localhost', 'roster');
  await store.set('carol', 1);
  expect(await store.get('carol')).toBe(1);
  expect(store.knownAbsent?.('carol')).toBe(false);
  // The listing is read in the background after the first lookup.
  expect(await eventually(() => store.knownAbsent?.('dave') === true)).toBe(true);
  await writeFile(join(dir, 'localhost', 'roster', 'dave.json'), '5'); // another process
  expect(await eventually(() => store.knownAbsent?.('dave') === false)).toBe(true);
  expect(await store.get('dave')).toBe(5);
});

test('a value written by another process into a store with no directory is not known absent', async () => {
  const server = open();
  await server.open('localhost', 'warmup').set('k', 1);
  const store = server.open<number>('localhost', 'pep');
  expect(store.knownAbsent?.('erin')).toBe(true);
  await open().open<number>('localhost', 'pep').set('erin', 3);
  expect(await eventually(() => store.knownAbsent?.('erin') === false)).toBe(true);
  expect(await store.get('erin')).toBe(3);
});

test('the memory driver knows exactly which keys it lacks', async () => {
  const store: KeyValueStore<number> = createMemoryDriver().open('localhost', 'vcard');
  expect(store.knownAbsent?.('frank')).toBe(true);
  await store.set('frank', 1);
  expect(store.knownAbsent?.('frank')).toBe(false);
  await store.delete('frank');
  expect(store.knownAbsent?.('frank')).toBe(true);
});
