import { describe, test, expect } from '@jest/globals';
import { createMemoryDriver } from '../../server/storage/index.js';

interface Item { name: string; tags: string[] }

describe('memory storage driver', () => {
  test('set, get, overwrite, delete, keys', async () => {
    const store = createMemoryDriver().open<Item>('localhost', 'things');
    expect(await store.get('a')).toBeUndefined();
    await store.set('a', { name: 'one', tags: [] });
    await store.set('b', { name: 'two', tags: ['x'] });
    await store.set('a', { name: 'three', tags: [] });
    expect(await store.get('a')).toEqual({ name: 'three', tags: [] });
    expect((await store.keys()).sort()).toEqual(['a', 'b']);
    await store.delete('a');
    await store.delete('missing');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys()).toEqual(['b']);
  });

  test('stored values cannot be changed through the objects given or returned', async () => {
    const store = createMemoryDriver().open<Item>('localhost', 'things');
    const value = { name: 'one', tags: ['x'] };
    await store.set('a', value);
    value.tags.push('changed-after-set');
    const read = await store.get('a');
    read?.tags.push('changed-after-get');
    expect(await store.get('a')).toEqual({ name: 'one', tags: ['x'] });
  });

  test('stores are separate per host and per store; reopening sees the same data', async () => {
    const driver = createMemoryDriver();
    await driver.open<number>('localhost', 'a').set('k', 1);
    expect(await driver.open<number>('localhost', 'b').get('k')).toBeUndefined();
    expect(await driver.open<number>('example.org', 'a').get('k')).toBeUndefined();
    expect(await driver.open<number>('localhost', 'a').get('k')).toBe(1);
    expect(driver.name).toBe('memory');
    await driver.flush();
    await driver.close();
  });

  test('two drivers do not share data', async () => {
    await createMemoryDriver().open<number>('localhost', 'a').set('k', 1);
    expect(await createMemoryDriver().open<number>('localhost', 'a').get('k')).toBeUndefined();
  });
});
