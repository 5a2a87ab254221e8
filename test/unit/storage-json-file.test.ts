import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

interface Item { name: string; n: number }

let dataPath: string;
let driver: StorageDriver;

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-storage-'));
  driver = createJsonFileDriver(dataPath);
});

afterEach(async () => {
  await driver.close();
  await rm(dataPath, { recursive: true, force: true });
});

describe('json-file storage driver', () => {
  test('set, get, overwrite, delete and keys', async () => {
    const store = driver.open<Item>('localhost', 'things');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys()).toEqual([]);
    await store.set('a', { name: 'one', n: 1 });
    await store.set('b', { name: 'two', n: 2 });
    await store.set('a', { name: 'three', n: 3 });
    expect(await store.get('a')).toEqual({ name: 'three', n: 3 });
    expect((await store.keys()).sort()).toEqual(['a', 'b']);
    await store.delete('a');
    await store.delete('never-there');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys()).toEqual(['b']);
    expect(driver.name).toBe('internal');
  });

  test('lays files out as <host>/<store>/<key>.json with encoded names', async () => {
    await driver.open<Item>('Conference.Localhost', 'rooms').set('Lobby/1', { name: 'x', n: 1 });
    const file = join(dataPath, '%43onference.%4cocalhost', 'rooms', '%4cobby%2f1.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ name: 'x', n: 1 });
  });

  test('directories are created only when something is written', async () => {
    const store = driver.open<Item>('localhost', 'things');
    await store.get('a');
    await store.keys();
    expect(await readdir(dataPath)).toEqual([]);
  });

  test('awkward keys round-trip through keys()', async () => {
    const store = driver.open<number>('localhost', 'things');
    const names = ['', '.', '..', 'Alice', 'a,b=c', 'ü/ö', '%41', 'x'.repeat(300), 'é'.repeat(150)];
    for (const [index, name] of names.entries()) await store.set(name, index);
    expect((await store.keys()).sort()).toEqual([...names].sort());
    for (const [index, name] of names.entries()) expect(await store.get(name)).toBe(index);
    await store.delete('x'.repeat(300));
    expect(await store.get('x'.repeat(300))).toBeUndefined();
  });

  test('data survives a new driver on the same directory', async () => {
    await driver.open<Item>('localhost', 'things').set('a', { name: 'kept', n: 1 });
    await driver.close();
    driver = createJsonFileDriver(dataPath);
    expect(await driver.open<Item>('localhost', 'things').get('a')).toEqual({ name: 'kept', n: 1 });
  });

  test('the value is captured when set is called', async () => {
    const store = driver.open<Item>('localhost', 'things');
    const value = { name: 'before', n: 1 };
    const written = store.set('a', value);
    value.name = 'after';
    await written;
    expect(await store.get('a')).toEqual({ name: 'before', n: 1 });
  });

  test('writes to one key are ordered: the last one wins, and reads see queued writes', async () => {
    const store = driver.open<number>('localhost', 'counter');
    const writes = Array.from({ length: 50 }, (_, i) => store.set('n', i));
    expect(await store.get('n')).toBe(49);
    await Promise.all(writes);
    expect(await store.get('n')).toBe(49);
    expect(await readdir(join(dataPath, 'localhost', 'counter'))).toEqual(['n.json']);
  });

  test('flush waits for every queued write', async () => {
    const store = driver.open<number>('localhost', 'many');
    for (let i = 0; i < 20; i++) void store.set(`k${i}`, i);
    await driver.flush();
    expect(await readdir(join(dataPath, 'localhost', 'many'))).toHaveLength(20);
  });

  test('writing after close is refused', async () => {
    await driver.close();
    await expect(driver.open<number>('localhost', 'x').set('a', 1)).rejects.toThrow(/closed/);
  });

  test('a value that is not JSON is refused', async () => {
    await expect(driver.open<unknown>('localhost', 'x').set('a', undefined)).rejects.toThrow(TypeError);
  });

  test('an empty host or store name is a programming error', () => {
    expect(() => driver.open('', 'x')).toThrow(TypeError);
    expect(() => driver.open('localhost', '')).toThrow(TypeError);
  });

  test('a corrupt file is an error naming the file', async () => {
    const store = driver.open<Item>('localhost', 'things');
    await store.set('a', { name: 'x', n: 1 });
    const file = join(dataPath, 'localhost', 'things', 'a.json');
    await writeFile(file, '{"name": "x", "n"');
    await expect(store.get('a')).rejects.toThrow(file);
  });

  test('crash leftovers: temporary files are ignored, and stale ones are removed by keys()', async () => {
    const store = driver.open<number>('localhost', 'things');
    await store.set('a', 1);
    const directory = join(dataPath, 'localhost', 'things');
    const stale = join(directory, 'a.json.0123456789ab-0.tmp');
    const fresh = join(directory, 'b.json.ba9876543210-0.tmp');
    await writeFile(stale, '{"half');
    await writeFile(fresh, '{"half');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    await writeFile(join(directory, 'README'), 'not a key');
    expect(await store.keys()).toEqual(['a']);
    expect(await store.get('a')).toBe(1);
    expect(await store.get('b')).toBeUndefined();
    await expect(stat(stale)).rejects.toThrow(/ENOENT/);
    expect((await stat(fresh)).isFile()).toBe(true); // may be another process's write in progress
  });

  test('a failed write reports the error and does not block later writes', async () => {
    const store = driver.open<number>('localhost', 'things');
    // A directory where the file should be makes the rename fail.
    await mkdir(join(dataPath, 'localhost', 'things', 'a.json'), { recursive: true });
    await expect(store.set('a', 1)).rejects.toThrow();
    await store.set('b', 2);
    expect(await store.get('b')).toBe(2);
    const names = await readdir(join(dataPath, 'localhost', 'things'));
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
