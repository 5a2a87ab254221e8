/**
 * A watched store directory keeps a listing of its file names (directory-listing.ts), so that a
 * key with no file (a user with no roster) is answered "absent" without opening anything. A name
 * missing from the listing must never hide a file: files created by another process after the
 * listing was read, and files this process writes, are read at once or as soon as the watch says.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';
import { DirectoryWatch } from '../../server/storage/directory-watch.js';
import { DirectoryListing } from '../../server/storage/directory-listing.js';

let dir: string;
const drivers: StorageDriver[] = [];
const watches: DirectoryWatch[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-listing-'));
});
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  for (const watch of watches.splice(0)) watch.close();
  await rm(dir, { recursive: true, force: true });
});

function open(): StorageDriver {
  const driver = createJsonFileDriver(dir);
  drivers.push(driver);
  return driver;
}

/** Polls `check` until it holds; fails after 3 s. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A watch on `<dir>/host/roster` as the driver makes it, with the changes it reports. */
async function watchedStore(): Promise<{ store: string; watch: DirectoryWatch; changed: string[] }> {
  const store = join(dir, 'host', 'roster');
  await mkdir(store, { recursive: true });
  await writeFile(join(store, 'alice.json'), '[]');
  const changed: string[] = [];
  const watch = new DirectoryWatch(store, dir, { fileChanged: (name) => changed.push(name), everythingChanged: () => changed.push('*') });
  watches.push(watch);
  expect(watch.ensure()).toBe(true);
  return { store, watch, changed };
}

test('the listing knows which files a directory holds once read, and any name noted since', async () => {
  const { store } = await watchedStore();
  const listing = new DirectoryListing(store);
  expect(listing.mayHold('bob.json', 0)).toBe(true); // not read yet: nothing is known
  await until(() => !listing.mayHold('bob.json', 0), 'the listing is read');
  expect(listing.mayHold('alice.json', 0)).toBe(true);
  listing.note('bob.json');
  expect(listing.mayHold('bob.json', 0)).toBe(true);
  // Another watch epoch (the watch was lost meanwhile): the listing is void until read again.
  expect(listing.mayHold('carol.json', 1)).toBe(true);
  await until(() => !listing.mayHold('carol.json', 1), 'the listing is read again');
});

test('a name noted while the listing is being read is kept', async () => {
  const { store } = await watchedStore();
  const listing = new DirectoryListing(store);
  expect(listing.mayHold('dave.json', 0)).toBe(true); // starts reading
  listing.note('dave.json'); // written meanwhile, perhaps after the directory was read
  await until(() => !listing.mayHold('erin.json', 0), 'the listing is read');
  expect(listing.mayHold('dave.json', 0)).toBe(true);
});

test('a file another process creates after the listing was read is reported by the watch', async () => {
  const { store, watch, changed } = await watchedStore();
  const path = join(store, 'frank.json');
  watch.mayHold(path);
  await until(() => !watch.mayHold(path), 'the listing is read');
  expect(watch.mayHold(join(store, 'alice.json'))).toBe(true);
  await writeFile(path, '[]');
  await until(() => changed.includes('frank.json'), 'the watch reports the file');
  expect(watch.mayHold(path)).toBe(true);
});

test('a store written by this process is read back at once', async () => {
  const driver = open();
  const roster = driver.open<number>('localhost', 'roster');
  await roster.set('alice', 1); // the directory exists and is watched
  expect(await roster.get('bob')).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the listing is read by now
  await roster.set('bob', 2);
  expect(await roster.get('bob')).toBe(2);
  // Written while nothing waits for the write: the read still finds it.
  const written = roster.set('carol', 3);
  expect(await roster.get('carol')).toBe(3);
  await written;
  const log = driver.openLog!<number>('localhost', 'offline');
  await log.append('alice', 1);
  expect(await log.read('bob')).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await log.append('bob', 4);
  expect(await log.read('bob')).toEqual([4]);
});

test('keys another process creates after the listing was read are found', async () => {
  const server = open();
  const roster = server.open<number>('localhost', 'roster');
  await roster.set('alice', 1);
  expect(await roster.get('bob')).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the listing is read by now
  expect(await roster.get('bob')).toBeUndefined();
  await open().open<number>('localhost', 'roster').set('bob', 2); // e.g. `salon` beside the server
  await until(async () => (await roster.get('bob')) === 2, 'the other process\'s key is read');
  // A file an administrator copies in by hand.
  await writeFile(join(dir, 'localhost', 'roster', 'carol.json'), '3');
  await until(async () => (await roster.get('carol')) === 3, 'the copied file is read');
  // And appended logs, as the offline store keeps them.
  const offline = server.openLog!<number>('localhost', 'offline');
  await offline.append('alice', 1);
  expect(await offline.read('bob')).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await open().openLog!<number>('localhost', 'offline').append('bob', 5);
  await until(async () => (await offline.read('bob')).length === 1, 'the other process\'s log is read');
});
