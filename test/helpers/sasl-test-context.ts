/** Shared set-up for the SASL unit tests: accounts in memory and small step helpers. */
import { openAccountStore, type AccountStore } from '../../server/accounts/index.js';
import { createMemoryDriver } from '../../server/storage/index.js';
import { startSasl, type SaslServerSession, type SaslStep } from '../../server/sasl/index.js';
import type { SaslContext } from '../../server/sasl/types.js';

/** Accounts on `localhost`: alice/wonderland and `a,b=c`/odd. */
export async function testAccounts(): Promise<AccountStore> {
  const accounts = openAccountStore(createMemoryDriver(), 'localhost', { iterations: 4096 });
  await accounts.create('alice', 'wonderland');
  await accounts.create('a,b=c', 'odd');
  return accounts;
}

export function saslContext(accounts: AccountStore, overrides: Partial<SaslContext> = {}): SaslContext {
  return { accounts, channelBinding: () => undefined, secure: true, ...overrides };
}

export function startSession(mechanism: string, context: SaslContext, serverNonce?: () => string): SaslServerSession {
  const session = startSasl(mechanism, context, serverNonce ? { serverNonce } : {});
  if (session === undefined) throw new Error(`no session for ${mechanism}`);
  return session;
}

export function challengeData(step: SaslStep): Buffer {
  if (step.kind !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(step)}`);
  return step.data;
}

export function failureCondition(step: SaslStep): string | undefined {
  return step.kind === 'failure' ? step.failure.condition : undefined;
}
