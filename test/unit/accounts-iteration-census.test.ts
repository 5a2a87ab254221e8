import { describe, expect, test } from '@jest/globals';
import { openAccountStore } from '../../server/accounts/index.js';
import { IterationCensus, type CensusSource } from '../../server/accounts/iteration-census.js';
import { deriveScramCredentials } from '../../server/accounts/scram-keys.js';
import type { AccountRecord } from '../../server/accounts/account-store.js';
import { createMemoryDriver, type StorageDriver } from '../../server/storage/index.js';
import { DecoyProfile, DECOY_STORE } from '../../server/sasl/index.js';

/** Stores accounts with the given iteration counts directly (as an earlier `sasl_iterations` made them). */
async function seed(driver: StorageDriver, counts: Record<string, number>): Promise<void> {
  const store = driver.open<AccountRecord>('localhost', 'accounts');
  for (const [name, iterations] of Object.entries(counts)) {
    const credentials = await deriveScramCredentials('SHA-256', `${name}-pw`, { iterations });
    await store.set(name, { scram: { 'SHA-256': credentials }, created: new Date(0).toISOString() });
  }
}

describe('IterationCensus', () => {
  test('answers the configured count while there is no account', async () => {
    const census = new IterationCensus(openAccountStore(createMemoryDriver(), 'localhost'), 8192);
    expect(await census.iterations()).toBe(8192);
  });

  test('answers the most common stored count, not the configured one', async () => {
    const driver = createMemoryDriver();
    await seed(driver, { a: 4096, b: 4096, c: 8192 });
    const accounts = openAccountStore(driver, 'localhost', { iterations: 8192 });
    expect(await new IterationCensus(accounts, 8192).iterations()).toBe(4096);
    expect(await accounts.typicalIterations()).toBe(4096);
  });

  test('a tie goes to the configured count', async () => {
    const driver = createMemoryDriver();
    await seed(driver, { a: 4096, b: 8192 });
    const accounts = openAccountStore(driver, 'localhost');
    expect(await new IterationCensus(accounts, 8192).iterations()).toBe(8192);
    expect(await new IterationCensus(accounts, 4096).iterations()).toBe(4096);
  });

  test('is taken once, not per lookup', async () => {
    const driver = createMemoryDriver();
    await seed(driver, { a: 4096 });
    const accounts = openAccountStore(driver, 'localhost');
    let listed = 0;
    const source: CensusSource = {
      list: () => {
        listed++;
        return accounts.list();
      },
      getScram: (name, hash) => accounts.getScram(name, hash),
    };
    const census = new IterationCensus(source, 8192);
    await Promise.all([census.iterations(), census.iterations()]);
    await census.iterations();
    expect(listed).toBe(1);
  });
});

test('checking a password for a name that is not an account costs the stored accounts\' iterations, not sasl_iterations', async () => {
  const driver = createMemoryDriver();
  await seed(driver, { a: 4096 });
  // Configured far higher than what the stored account carries: 4,000,000 iterations take
  // seconds, 4096 a few milliseconds, so a check that used the setting could not finish in time.
  const accounts = openAccountStore(driver, 'localhost', { iterations: 4_000_000 });
  await accounts.typicalIterations();
  const started = performance.now();
  expect(await accounts.verifyPassword('ghost', 'guess')).toBe(false);
  expect(performance.now() - started).toBeLessThan(1000);
  expect(await accounts.verifyPassword('a', 'a-pw')).toBe(true);
});

describe('DecoyProfile', () => {
  test('keeps its secret in storage: a second profile on the same storage gives the same salt', async () => {
    const driver = createMemoryDriver();
    await seed(driver, { a: 4096 });
    const accounts = openAccountStore(driver, 'localhost', { iterations: 8192 });
    const first = new DecoyProfile({ accounts, secrets: driver.open<string>('localhost', DECOY_STORE) });
    const second = new DecoyProfile({ accounts, secrets: driver.open<string>('localhost', DECOY_STORE) });
    const a = await first.credentials('SHA-256', 'ghost');
    const b = await second.credentials('SHA-256', 'ghost');
    expect(b.salt).toBe(a.salt);
    expect(a.iterations).toBe(4096);
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(16);
    expect((await first.credentials('SHA-1', 'ghost')).salt).not.toBe(a.salt);
    const elsewhere = new DecoyProfile({ accounts, secrets: createMemoryDriver().open<string>('localhost', DECOY_STORE) });
    expect((await elsewhere.credentials('SHA-256', 'ghost')).salt).not.toBe(a.salt);
  });
});
