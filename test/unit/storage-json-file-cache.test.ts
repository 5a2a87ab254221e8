/**
 * The json-file driver keeps what it read in memory: every change to a file, by this driver or by
 * any other writer (another process, modelled here by a second driver on the same directory, or a
 * plain file write), must be seen by later reads.
 */
import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

let dataPath: string;
let server: StorageDriver;
let other: StorageDriver;

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-storage-cache-'));
  server = createJsonFileDriver(dataPath);
  other = createJsonFileDriver(dataPath);
});

afterEach(async () => {
  await Promise.all([server.close(), other.close()]);
  await rm(dataPath, { recursive: true, force: true });
});

/** Reads until `read` gives `expected` (a change notification is asynchronous); fails after 3 s. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('json-file read cache', () => {
  test('a value another writer replaces is read anew', async () => {
    const mine = server.open<string>('localhost', 'accounts');
    await mine.set('alice', 'first');
    expect(await mine.get('alice')).toBe('first');
    expect(await mine.get('alice')).toBe('first'); // now from memory
    await other.open<string>('localhost', 'accounts').set('alice', 'second');
    await eventually(() => mine.get('alice'), 'second');
  });

  test('a file another writer removes reads as absent', async () => {
    const mine = server.open<string>('localhost', 'accounts');
    await mine.set('bob', 'here');
    expect(await mine.get('bob')).toBe('here');
    await other.open<string>('localhost', 'accounts').delete('bob');
    await eventually(() => mine.get('bob'), undefined);
  });

  test('a file another writer creates after a read found none is seen', async () => {
    const mine = server.open<string>('localhost', 'accounts');
    await mine.set('someone', 'else'); // the directory exists
    expect(await mine.get('carol')).toBeUndefined();
    expect(await mine.get('carol')).toBeUndefined(); // "absent" is remembered too
    await other.open<string>('localhost', 'accounts').set('carol', 'new');
    await eventually(() => mine.get('carol'), 'new');
  });

  test('a store directory made later is watched through its parent', async () => {
    const mine = server.open<string[]>('localhost', 'offline');
    expect(await mine.get('dave')).toBeUndefined();
    expect(await mine.get('dave')).toBeUndefined();
    await other.open<string[]>('localhost', 'offline').set('dave', ['hello']);
    await eventually(() => mine.get('dave'), ['hello']);
    // From then on the store's own directory is watched.
    await other.open<string[]>('localhost', 'offline').set('dave', ['hello', 'again']);
    await eventually(() => mine.get('dave'), ['hello', 'again']);
  });

  test('a whole data directory made later is watched through the root', async () => {
    const mine = server.open<number>('example.org', 'accounts');
    expect(await mine.get('erin')).toBeUndefined();
    await other.open<number>('example.org', 'accounts').set('erin', 7);
    await eventually(() => mine.get('erin'), 7);
  });

  test('edits in place and removals by hand are seen', async () => {
    const mine = server.open<{ n: number }>('localhost', 'things');
    await mine.set('x', { n: 1 });
    expect(await mine.get('x')).toEqual({ n: 1 });
    const file = join(dataPath, 'localhost', 'things', 'x.json');
    await writeFile(file, '{"n":2}');
    await eventually(() => mine.get('x'), { n: 2 });
    await unlink(file);
    await eventually(() => mine.get('x'), undefined);
  });

  test('a store directory removed and made again keeps being watched', async () => {
    const mine = server.open<number>('localhost', 'things');
    await mine.set('y', 1);
    expect(await mine.get('y')).toBe(1);
    await rm(join(dataPath, 'localhost', 'things'), { recursive: true });
    await eventually(() => mine.get('y'), undefined);
    await mkdir(join(dataPath, 'localhost', 'things'));
    await writeFile(join(dataPath, 'localhost', 'things', 'y.json'), '3');
    await eventually(() => mine.get('y'), 3);
  });

  test('reads overlapping this driver\'s writes never keep an old value', async () => {
    const mine = server.open<number>('localhost', 'counter');
    await mine.set('n', 0);
    for (let i = 1; i <= 20; i++) {
      const before = mine.get('n');
      const written = mine.set('n', i);
      const during = mine.get('n');
      await Promise.all([before, written, during]);
      expect(await mine.get('n')).toBe(i);
    }
  });

  test('callers get their own copy of a cached value', async () => {
    const mine = server.open<{ list: number[] }>('localhost', 'things');
    await mine.set('z', { list: [1] });
    const first = await mine.get('z');
    first!.list.push(2);
    expect(await mine.get('z')).toEqual({ list: [1] });
  });

  test('a corrupt file is still an error when read again', async () => {
    const mine = server.open<number>('localhost', 'things');
    await mine.set('bad', 1);
    await writeFile(join(dataPath, 'localhost', 'things', 'bad.json'), '{');
    const file = join(dataPath, 'localhost', 'things', 'bad.json');
    const read = async (): Promise<string> => mine.get('bad').then(() => 'ok', (error: Error) => error.message);
    await eventually(read, `corrupt storage file ${file}`);
    await expect(mine.get('bad')).rejects.toThrow(file);
  });
});
