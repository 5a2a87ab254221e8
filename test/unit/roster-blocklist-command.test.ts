import { describe, expect, test } from '@jest/globals';
import { Jid } from '../../server/jid/index.js';
import type { KeyValueStore } from '../../server/storage/index.js';
import { applyBlockingCommand } from '../../roster/blocklist.js';
import { createBlocklistService } from '../../roster/blocklist-service.js';

describe('applyBlockingCommand (XEP-0191 §3.3, §3.4)', () => {
  const before: ReadonlySet<string> = new Set(['a@example.org', 'example.net']);

  test('block adds only what is new, in request order', () => {
    const result = applyBlockingCommand(before, { action: 'block', jids: ['b@example.org', 'a@example.org', 'c@example.org'] });
    expect(result.ok && [...result.value.after]).toEqual(['a@example.org', 'example.net', 'b@example.org', 'c@example.org']);
    expect(result.ok && result.value.changed).toEqual(['b@example.org', 'c@example.org']);
    expect([...before]).toEqual(['a@example.org', 'example.net']);
  });

  test('unblock removes what was blocked; an empty unblock removes everything', () => {
    const some = applyBlockingCommand(before, { action: 'unblock', jids: ['example.net', 'z@example.org'] });
    expect(some.ok && [...some.value.after]).toEqual(['a@example.org']);
    expect(some.ok && some.value.changed).toEqual(['example.net']);
    const all = applyBlockingCommand(before, { action: 'unblock', jids: [] });
    expect(all.ok && all.value.after.size).toBe(0);
    expect(all.ok && all.value.changed).toEqual(['a@example.org', 'example.net']);
  });

  test('a block past the bound is a policy-violation; re-blocking at the bound is fine', () => {
    const over = applyBlockingCommand(before, { action: 'block', jids: ['b@example.org'] }, 2);
    expect(over.ok ? undefined : over.error.condition).toBe('policy-violation');
    const again = applyBlockingCommand(before, { action: 'block', jids: ['a@example.org'] }, 2);
    expect(again.ok && again.value.changed).toEqual([]);
  });
});

class CountingStore implements KeyValueStore<string[]> {
  readonly values = new Map<string, unknown>();
  reads = 0;
  async get(key: string): Promise<string[] | undefined> {
    this.reads += 1;
    return this.values.get(key) as string[] | undefined;
  }
  async set(key: string, value: string[]): Promise<void> {
    this.values.set(key, [...value]);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.values.keys()];
  }
}

describe('createBlocklistService', () => {
  const alice = Jid.of('alice', 'localhost');
  const bob = Jid.of('bob', 'localhost', 'phone');

  test('changes are saved, read once into memory, and matched as XEP-0191 §3.2 says', async () => {
    const store = new CountingStore();
    const service = createBlocklistService(store, 10);
    expect(await service.blocks(alice, bob)).toBe(false);
    const change = await service.apply(alice, { action: 'block', jids: ['bob@localhost'] });
    expect(change.ok && [...change.value.before]).toEqual([]);
    expect(store.values.get('alice')).toEqual(['bob@localhost']);
    expect(await service.blocks(alice, bob)).toBe(true);
    expect(await service.blocks(alice, Jid.of('carol', 'localhost'))).toBe(false);
    expect(store.reads).toBe(1);
  });

  test('a user never blocks their own account', async () => {
    const service = createBlocklistService(new CountingStore(), 10);
    await service.apply(alice, { action: 'block', jids: ['alice@localhost', 'localhost'] });
    expect(await service.blocks(alice, Jid.of('alice', 'localhost', 'other'))).toBe(false);
    expect(await service.blocks(alice, bob)).toBe(true);
  });

  test('concurrent commands for one user are applied one after the other', async () => {
    const store = new CountingStore();
    const service = createBlocklistService(store, 10);
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => service.apply(alice, { action: 'block', jids: [`${name}@example.org`] })));
    expect((store.values.get('alice') as string[]).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org']);
  });

  test('damaged stored data is an error, not an empty list', async () => {
    const store = new CountingStore();
    store.values.set('alice', { not: 'a list' });
    const service = createBlocklistService(store, 10);
    await expect(service.blocklist(alice)).rejects.toThrow(TypeError);
  });
});
