import { describe, test, expect, beforeAll } from '@jest/globals';
import type { AccountStore } from '../../server/accounts/index.js';
import { challengeData, failureCondition, saslContext, startSession, testAccounts } from '../helpers/sasl-test-context.js';
import type { SaslStep } from '../../server/sasl/index.js';

let accounts: AccountStore;

beforeAll(async () => {
  accounts = await testAccounts();
  await accounts.create('carol', 'two\u00A0words');
});

async function plain(message: string | Buffer): Promise<SaslStep> {
  return startSession('PLAIN', saslContext(accounts)).step(typeof message === 'string' ? Buffer.from(message) : message);
}

describe('SASL PLAIN', () => {
  test('authenticates with authcid and password', async () => {
    expect(await plain('\0alice\0wonderland')).toEqual({ kind: 'success', username: 'alice' });
  });

  test('normalises the user name', async () => {
    expect(await plain('\0ALICE\0wonderland')).toEqual({ kind: 'success', username: 'alice' });
  });

  test('compares passwords after SASLprep (U+00A0 is a space)', async () => {
    expect((await plain('\0carol\0two words')).kind).toBe('success');
    expect((await plain('\0carol\0two\u2003words')).kind).toBe('success'); // EM SPACE maps to a space too
  });

  test.each(['alice@localhost', 'Alice@Localhost'])('authzid %s (the user itself) is accepted', async (authzid) => {
    expect((await plain(`${authzid}\0alice\0wonderland`)).kind).toBe('success');
  });

  test.each(['bob@localhost', 'alice@localhost/res', 'alice@example.org'])('authzid %s is invalid-authzid', async (authzid) => {
    expect(failureCondition(await plain(`${authzid}\0alice\0wonderland`))).toBe('invalid-authzid');
  });

  test.each([
    ['wrong password', '\0alice\0wonderlanD'],
    ['unknown user', '\0nobody\0wonderland'],
    ['invalid user name', '\0al ice\0wonderland'],
    ['user name SASLprep rejects', '\0al\u0007ice\0wonderland'],
  ])('%s is not-authorized', async (_label, message) => {
    expect(failureCondition(await plain(message))).toBe('not-authorized');
  });

  test.each([
    ['no NUL', 'alice wonderland'],
    ['one NUL', 'alice\0wonderland'],
    ['three NULs', '\0alice\0wonderland\0'],
    ['empty authcid', '\0\0wonderland'],
    ['empty password', '\0alice\0'],
  ])('%s is malformed-request', async (_label, message) => {
    expect(failureCondition(await plain(message))).toBe('malformed-request');
  });

  test('invalid UTF-8 is malformed-request', async () => {
    expect(failureCondition(await plain(Buffer.from([0, 0x61, 0, 0xc3, 0x28])))).toBe('malformed-request');
  });

  test('no initial response: an empty challenge, then the credentials', async () => {
    const session = startSession('PLAIN', saslContext(accounts));
    expect(challengeData(await session.step(Buffer.alloc(0)))).toHaveLength(0);
    expect((await session.step(Buffer.from('\0alice\0wonderland'))).kind).toBe('success');
  });

  test('two empty responses are malformed-request', async () => {
    const session = startSession('PLAIN', saslContext(accounts));
    await session.step(Buffer.alloc(0));
    expect(failureCondition(await session.step(Buffer.alloc(0)))).toBe('malformed-request');
  });

  test('the exchange is over after one answer', async () => {
    const session = startSession('PLAIN', saslContext(accounts));
    expect(failureCondition(await session.step(Buffer.from('\0alice\0wrong')))).toBe('not-authorized');
    expect(failureCondition(await session.step(Buffer.from('\0alice\0wonderland')))).toBe('malformed-request');
  });
});
