/**
 * Which failures are failed credential checks (the only ones counted toward `limit_auth_max`)
 * and which are negotiation or channel-binding refusals, for PLAIN and SCRAM.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { AccountStore } from '../../server/accounts/index.js';
import type { SaslStep } from '../../server/sasl/index.js';
import type { SaslContext } from '../../server/sasl/types.js';
import { ScramClient } from '../helpers/scram-client.js';
import { challengeData, saslContext, startSession, testAccounts } from '../helpers/sasl-test-context.js';

const EXPORTER = Buffer.from('tls-exporter bytes of this connection');
let accounts: AccountStore;

beforeAll(async () => {
  accounts = await testAccounts();
});

/** The failure's cause and the user name it reports, or the step's kind when it did not fail. */
function causeOf(step: SaslStep): { cause: string; username?: string } | string {
  if (step.kind !== 'failure') return step.kind;
  return step.username === undefined ? { cause: step.cause } : { cause: step.cause, username: step.username };
}

async function plain(message: string): Promise<SaslStep> {
  return startSession('PLAIN', saslContext(accounts)).step(Buffer.from(message));
}

async function scram(mechanism: string, client: ScramClient, context: SaslContext = saslContext(accounts)): Promise<SaslStep> {
  const session = startSession(mechanism, context);
  const first = await session.step(client.first());
  if (first.kind !== 'challenge') return first;
  return session.step(client.final(challengeData(first)));
}

const tls = (): SaslContext => saslContext(accounts, { channelBinding: (type) => (type === 'tls-exporter' ? EXPORTER : undefined) });
const client = (options: Partial<ConstructorParameters<typeof ScramClient>[0]> = {}): ScramClient =>
  new ScramClient({ hash: 'sha256', username: 'alice', password: 'wonderland', ...options });

describe('PLAIN', () => {
  test('a wrong password and an unknown user are credential failures, with the name given', async () => {
    expect(causeOf(await plain('\0alice\0wrong'))).toEqual({ cause: 'credentials', username: 'alice' });
    expect(causeOf(await plain('\0nobody\0wrong'))).toEqual({ cause: 'credentials', username: 'nobody' });
  });

  test('a malformed message and a refused authzid are negotiation failures', async () => {
    expect(causeOf(await plain('no separators'))).toEqual({ cause: 'negotiation' });
    expect(causeOf(await plain('bob@localhost\0alice\0wonderland'))).toEqual({ cause: 'negotiation', username: 'alice' });
  });
});

describe('SCRAM', () => {
  test('a wrong password and an unknown user are credential failures, with the name given', async () => {
    expect(causeOf(await scram('SCRAM-SHA-256', client({ password: 'wrong' })))).toEqual({ cause: 'credentials', username: 'alice' });
    expect(causeOf(await scram('SCRAM-SHA-256', client({ username: 'nobody' })))).toEqual({ cause: 'credentials', username: 'nobody' });
  });

  test('malformed and out-of-order messages are negotiation failures', async () => {
    const session = startSession('SCRAM-SHA-1', saslContext(accounts));
    expect(causeOf(await session.step(Buffer.from('x,,n=alice,r=abc')))).toEqual({ cause: 'negotiation' });
    expect(causeOf(await session.step(Buffer.from('n,,n=alice,r=abc')))).toEqual({ cause: 'negotiation' }); // after the end
  });

  test('an unsupported channel-binding type (slixmpp\'s tls-unique on TLS 1.3) is a negotiation failure', async () => {
    const step = await scram('SCRAM-SHA-256-PLUS', client({ gs2Header: 'p=tls-unique,,', bindingData: Buffer.from('finished') }), tls());
    expect(causeOf(step)).toEqual({ cause: 'negotiation', username: 'alice' });
  });

  test('`y` while -PLUS is offered and binding data of another connection are channel-binding refusals', async () => {
    expect(causeOf(await scram('SCRAM-SHA-256', client({ gs2Header: 'y,,' }), tls()))).toEqual({ cause: 'channel-binding', username: 'alice' });
    const elsewhere = client({ gs2Header: 'p=tls-exporter,,', bindingData: Buffer.from('another connection') });
    expect(causeOf(await scram('SCRAM-SHA-256-PLUS', elsewhere, tls()))).toEqual({ cause: 'channel-binding', username: 'alice' });
  });

  test('the right password with the right binding succeeds (the failures above can fail)', async () => {
    expect(causeOf(await scram('SCRAM-SHA-256-PLUS', client({ gs2Header: 'p=tls-exporter,,', bindingData: EXPORTER }), tls()))).toBe('success');
  });
});
