import { describe, test, expect, beforeEach } from '@jest/globals';
import { openAccountStore, type AccountStore } from '../../server/accounts/index.js';
import type { AccountRecord } from '../../server/accounts/account-store.js';
import { createMemoryDriver, type StorageDriver } from '../../server/storage/index.js';

let driver: StorageDriver;
let accounts: AccountStore;

beforeEach(() => {
  driver = createMemoryDriver();
  accounts = openAccountStore(driver, 'localhost', { iterations: 1000 });
});

describe('account lifecycle', () => {
  test('create, exists, verify, list', async () => {
    expect(await accounts.exists('alice')).toBe(false);
    expect(await accounts.create('alice', 'secret')).toEqual({ ok: true, value: undefined });
    expect(await accounts.exists('alice')).toBe(true);
    expect(await accounts.verifyPassword('alice', 'secret')).toBe(true);
    expect(await accounts.verifyPassword('alice', 'Secret')).toBe(false);
    expect(await accounts.list()).toEqual(['alice']);
    expect(accounts.host).toBe('localhost');
  });

  test('a second create of the same user is refused and keeps the first password', async () => {
    await accounts.create('alice', 'one');
    expect(await accounts.create('alice', 'two')).toEqual({ ok: false, error: 'exists' });
    expect(await accounts.verifyPassword('alice', 'one')).toBe(true);
    expect(await accounts.verifyPassword('alice', 'two')).toBe(false);
  });

  test('concurrent creates of one user: exactly one wins', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((pw) => accounts.create('bob', pw)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error === 'exists')).toHaveLength(2);
  });

  test('setPassword replaces the keys and keeps the creation date', async () => {
    await accounts.create('alice', 'old');
    const before = await driver.open<AccountRecord>('localhost', 'accounts').get('alice');
    expect(await accounts.setPassword('alice', 'new')).toEqual({ ok: true, value: undefined });
    expect(await accounts.verifyPassword('alice', 'old')).toBe(false);
    expect(await accounts.verifyPassword('alice', 'new')).toBe(true);
    const after = await driver.open<AccountRecord>('localhost', 'accounts').get('alice');
    expect(after?.created).toBe(before?.created);
    expect(after?.scram['SHA-256']?.salt).not.toBe(before?.scram['SHA-256']?.salt);
  });

  test('setPassword and delete of a missing user report not-found', async () => {
    expect(await accounts.setPassword('ghost', 'x')).toEqual({ ok: false, error: 'not-found' });
    expect(await accounts.delete('ghost')).toEqual({ ok: false, error: 'not-found' });
  });

  test('delete removes the account', async () => {
    await accounts.create('alice', 'pw');
    expect(await accounts.delete('alice')).toEqual({ ok: true, value: undefined });
    expect(await accounts.exists('alice')).toBe(false);
    expect(await accounts.verifyPassword('alice', 'pw')).toBe(false);
    expect(await accounts.getScram('alice', 'SHA-1')).toBeUndefined();
    expect(await accounts.list()).toEqual([]);
  });

  test('hosts are separate', async () => {
    const other = openAccountStore(driver, 'example.org', { iterations: 1000 });
    await accounts.create('alice', 'pw');
    expect(await other.exists('alice')).toBe(false);
  });
});

describe('user names', () => {
  test('are normalised JID local parts: Alice is alice', async () => {
    await accounts.create('Alice', 'pw');
    expect(await accounts.exists('alice')).toBe(true);
    expect(await accounts.exists('ALICE')).toBe(true);
    expect(await accounts.create('alice', 'pw')).toEqual({ ok: false, error: 'exists' });
    expect(await accounts.verifyPassword('aLiCe', 'pw')).toBe(true);
    expect(await accounts.list()).toEqual(['alice']);
  });

  test('full-width characters are width-mapped', async () => {
    await accounts.create('\uFF41\uFF42', 'pw'); // ａｂ
    expect(await accounts.exists('ab')).toBe(true);
  });

  test('invisible and compatibility look-alikes of a name are refused (RFC 8265 §3.3, RFC 8264 §4.2)', async () => {
    await accounts.create('admin', 'pw');
    for (const lookAlike of ['ad\u00admin', 'ad\u200bmin', '\ufeffadmin', 'ad\u2060min', '\uff41dmin\u00ad', '\u{1D41A}dmin']) {
      expect([lookAlike, await accounts.create(lookAlike, 'other')]).toEqual([lookAlike, { ok: false, error: 'invalid-username' }]);
    }
    expect(await accounts.list()).toEqual(['admin']);
  });

  test('a name is created only when a login can name it: SASLprep refuses mixed Latin and Hebrew (RFC 3454 §6)', async () => {
    expect(await accounts.create('user\u05d0', 'pw')).toEqual({ ok: false, error: 'invalid-username' });
    expect(await accounts.create('\u05e9\u05dc\u05d5\u05dd', 'pw')).toEqual({ ok: true, value: undefined });
    expect(await accounts.verifyPassword('\u05e9\u05dc\u05d5\u05dd', 'pw')).toBe(true);
    expect(await accounts.list()).toEqual(['\u05e9\u05dc\u05d5\u05dd']);
  });

  test.each(['', 'a@b', 'a b', 'a/b', 'a:b', 'x\u0000y', 'ad\u00admin', '\ufb01le', 'coffee\u2615'])('invalid user name %j', async (name) => {
    expect(await accounts.create(name, 'pw')).toEqual({ ok: false, error: 'invalid-username' });
    expect(await accounts.setPassword(name, 'pw')).toEqual({ ok: false, error: 'invalid-username' });
    expect(await accounts.delete(name)).toEqual({ ok: false, error: 'invalid-username' });
    expect(await accounts.exists(name)).toBe(false);
    expect(await accounts.verifyPassword(name, 'pw')).toBe(false);
  });
});

describe('passwords', () => {
  test.each(['', '\u0007bell', '\u00AD', '\u0627\u0031'])('invalid password %j', async (password) => {
    expect(await accounts.create('alice', password)).toEqual({ ok: false, error: 'invalid-password' });
    expect(await accounts.exists('alice')).toBe(false);
  });

  test('setPassword validates the password too', async () => {
    await accounts.create('alice', 'pw');
    expect(await accounts.setPassword('alice', '')).toEqual({ ok: false, error: 'invalid-password' });
    expect(await accounts.verifyPassword('alice', 'pw')).toBe(true);
  });

  test('are compared after SASLprep: U+00A0 equals a space, U+00AD vanishes', async () => {
    await accounts.create('alice', 'correct\u00A0horse');
    expect(await accounts.verifyPassword('alice', 'correct horse')).toBe(true);
    await accounts.create('bob', 'I\u00ADX');
    expect(await accounts.verifyPassword('bob', 'IX')).toBe(true);
    expect(await accounts.verifyPassword('bob', 'I-X')).toBe(false);
  });

  test('an empty or unpreparable password never verifies', async () => {
    await accounts.create('alice', 'pw');
    expect(await accounts.verifyPassword('alice', '')).toBe(false);
    expect(await accounts.verifyPassword('alice', '\u0007')).toBe(false);
  });
});

describe('stored record', () => {
  test('holds SCRAM keys for SHA-1 and SHA-256, never the password', async () => {
    const password = 'very-secret-passphrase';
    await accounts.create('alice', password);
    const record = await driver.open<AccountRecord>('localhost', 'accounts').get('alice');
    expect(JSON.stringify(record)).not.toContain(password);
    expect(Number.isNaN(Date.parse(record?.created ?? ''))).toBe(false);
    const sha1 = record?.scram['SHA-1'];
    const sha256 = record?.scram['SHA-256'];
    expect(Buffer.from(sha1?.storedKey ?? '', 'base64')).toHaveLength(20);
    expect(Buffer.from(sha256?.storedKey ?? '', 'base64')).toHaveLength(32);
    expect(Buffer.from(sha256?.serverKey ?? '', 'base64')).toHaveLength(32);
    expect(Buffer.from(sha256?.salt ?? '', 'base64')).toHaveLength(16);
    expect(sha1?.iterations).toBe(1000);
    expect(sha256?.iterations).toBe(1000);
  });

  test('getScram returns the stored credentials per hash, as a copy', async () => {
    await accounts.create('alice', 'pw');
    const credentials = await accounts.getScram('Alice', 'SHA-256');
    expect(credentials?.iterations).toBe(1000);
    if (credentials) credentials.iterations = 1;
    expect((await accounts.getScram('alice', 'SHA-256'))?.iterations).toBe(1000);
    expect(await accounts.getScram('nobody', 'SHA-1')).toBeUndefined();
  });

  test('the default iteration count is 10000', async () => {
    const defaults = openAccountStore(createMemoryDriver(), 'localhost');
    await defaults.create('alice', 'pw');
    expect((await defaults.getScram('alice', 'SHA-1'))?.iterations).toBe(10_000);
  });

  test('a bad iteration option is a programming error', () => {
    expect(() => openAccountStore(driver, 'localhost', { iterations: 0 })).toThrow(RangeError);
  });
});
