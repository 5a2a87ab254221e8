import { describe, test, expect, beforeAll } from '@jest/globals';
import { openAccountStore, type AccountStore } from '../../server/accounts/index.js';
import { deriveScramCredentials } from '../../server/accounts/scram-keys.js';
import type { AccountRecord } from '../../server/accounts/account-store.js';
import { createMemoryDriver } from '../../server/storage/index.js';
import type { SaslServerSession, SaslStep } from '../../server/sasl/index.js';
import type { SaslContext } from '../../server/sasl/types.js';
import { ScramClient, type ClientHash } from '../helpers/scram-client.js';
import { challengeData, failureCondition, saslContext, startSession, testAccounts } from '../helpers/sasl-test-context.js';

let accounts: AccountStore;

beforeAll(async () => {
  accounts = await testAccounts();
});

const context = (overrides: Partial<SaslContext> = {}): SaslContext => saslContext(accounts, overrides);
const start = (mechanism: string, ctx = context(), nonce?: () => string): SaslServerSession => startSession(mechanism, ctx, nonce);
const challenge = challengeData;
const condition = failureCondition;

/** Runs a whole exchange with the independent client; returns the final step. */
async function exchange(mechanism: string, client: ScramClient, ctx = context()): Promise<SaslStep> {
  const session = start(mechanism, ctx);
  const serverFirst = challenge(await session.step(client.first()));
  return session.step(client.final(serverFirst));
}

const MECHANISMS: [string, ClientHash][] = [['SCRAM-SHA-1', 'sha1'], ['SCRAM-SHA-256', 'sha256']];

describe.each(MECHANISMS)('%s exchange', (mechanism, hash) => {
  test('succeeds with the right password and sends the server signature', async () => {
    const client = new ScramClient({ hash, username: 'alice', password: 'wonderland' });
    const result = await exchange(mechanism, client);
    expect(result).toEqual({ kind: 'success', username: 'alice', data: Buffer.from(client.expectedServerFinal()) });
  });

  test('the user name is normalised (Alice logs in as alice)', async () => {
    const result = await exchange(mechanism, new ScramClient({ hash, username: 'Alice', password: 'wonderland' }));
    expect(result.kind === 'success' && result.username).toBe('alice');
  });

  test('a wrong password is not-authorized', async () => {
    const result = await exchange(mechanism, new ScramClient({ hash, username: 'alice', password: 'wrong' }));
    expect(condition(result)).toBe('not-authorized');
  });

  test('an unknown user gets a normal challenge and fails only at the end', async () => {
    const client = new ScramClient({ hash, username: 'nobody', password: 'x' });
    const session = start(mechanism);
    const serverFirst = challenge(await session.step(client.first())).toString();
    expect(serverFirst).toMatch(/^r=[^,]+,s=[A-Za-z0-9+/]{22}==,i=10000$/);
    expect(condition(await session.step(client.final(Buffer.from(serverFirst))))).toBe('not-authorized');
  });

  test('escaped user names (=2C, =3D) are unescaped', async () => {
    const client = new ScramClient({ hash, username: 'a,b=c', password: 'odd' });
    expect(client.first().toString()).toContain('n=a=2Cb=3Dc,');
    const result = await exchange(mechanism, client);
    expect(result.kind === 'success' && result.username).toBe('a,b=c');
  });
});

describe('unknown users cannot be told apart from real ones', () => {
  async function serverFirst(username: string, ctx = context()): Promise<Map<string, string>> {
    const session = start('SCRAM-SHA-256', ctx);
    const client = new ScramClient({ hash: 'sha256', username, password: 'x' });
    const text = challenge(await session.step(client.first())).toString();
    return new Map(text.split(',').map((field) => [field.slice(0, 1), field.slice(2)]));
  }

  test('the decoy salt is stable per user and differs between users', async () => {
    const first = await serverFirst('ghost');
    const again = await serverFirst('ghost');
    const other = await serverFirst('phantom');
    expect(again.get('s')).toBe(first.get('s'));
    expect(other.get('s')).not.toBe(first.get('s'));
    expect(Buffer.from(first.get('s') ?? '', 'base64')).toHaveLength(16);
  });

  test('the decoy iteration count follows the host setting', async () => {
    expect((await serverFirst('ghost', context({ iterations: 4096 }))).get('i')).toBe('4096');
    expect((await serverFirst('alice')).get('i')).toBe('4096');
  });

  test('the nonce starts with the client nonce and adds at least 18 random bytes', async () => {
    const a = (await serverFirst('alice')).get('r') ?? '';
    const session = start('SCRAM-SHA-256');
    const client = new ScramClient({ hash: 'sha256', username: 'alice', password: 'x', clientNonce: 'abc' });
    const r = /r=([^,]+)/.exec(challenge(await session.step(client.first())).toString())?.[1] ?? '';
    expect(r.startsWith('abc')).toBe(true);
    expect(r.length - 3).toBeGreaterThanOrEqual(24);
    expect(r).not.toBe(a);
  });
});

describe('RFC test vectors with a fixed server nonce', () => {
  async function withVectorAccount(hash: 'SHA-1' | 'SHA-256', salt: string): Promise<SaslContext> {
    const vectorDriver = createMemoryDriver();
    const credentials = await deriveScramCredentials(hash, 'pencil', { salt: Buffer.from(salt, 'base64'), iterations: 4096 });
    const record: AccountRecord = { scram: { [hash]: credentials }, created: new Date(0).toISOString() };
    await vectorDriver.open<AccountRecord>('localhost', 'accounts').set('user', record);
    return context({ accounts: openAccountStore(vectorDriver, 'localhost') });
  }

  test('RFC 5802 §5 (SCRAM-SHA-1)', async () => {
    const session = start('SCRAM-SHA-1', await withVectorAccount('SHA-1', 'QSXCR+Q6sek8bf92'), () => '3rfcNHYJY1ZVvWVs7j');
    const first = await session.step(Buffer.from('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL'));
    expect(challenge(first).toString()).toBe('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    const final = await session.step(Buffer.from(
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts='));
    expect(final).toEqual({ kind: 'success', username: 'user', data: Buffer.from('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=') });
  });

  test('RFC 7677 §3 (SCRAM-SHA-256)', async () => {
    const session = start('SCRAM-SHA-256', await withVectorAccount('SHA-256', 'W22ZaJ0SNY7soEsUEjb6gQ=='),
      () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    const first = await session.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(challenge(first).toString())
      .toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    const final = await session.step(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,'
      + 'p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='));
    expect(final).toEqual({
      kind: 'success', username: 'user', data: Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='),
    });
  });
});
