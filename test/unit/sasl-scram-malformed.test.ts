import { describe, test, expect, beforeAll } from '@jest/globals';
import type { AccountStore } from '../../server/accounts/index.js';
import { ScramClient } from '../helpers/scram-client.js';
import { challengeData, failureCondition, saslContext, startSession, testAccounts } from '../helpers/sasl-test-context.js';

let accounts: AccountStore;

beforeAll(async () => {
  accounts = await testAccounts();
});

async function firstStep(message: string | Buffer): Promise<string | undefined> {
  const session = startSession('SCRAM-SHA-1', saslContext(accounts));
  return failureCondition(await session.step(typeof message === 'string' ? Buffer.from(message) : message));
}

/** Sends a valid client-first, then `final(serverFirst)` as the client-final-message. */
async function finalStep(final: (serverFirst: string, client: ScramClient) => string): Promise<string | undefined> {
  const client = new ScramClient({ hash: 'sha1', username: 'alice', password: 'wonderland' });
  const session = startSession('SCRAM-SHA-1', saslContext(accounts));
  const serverFirst = challengeData(await session.step(client.first())).toString();
  return failureCondition(await session.step(Buffer.from(final(serverFirst, client))));
}

const nonceOf = (serverFirst: string): string => /^r=([^,]+)/.exec(serverFirst)?.[1] ?? '';

describe('malformed client-first-message → malformed-request', () => {
  test.each([
    ['bad gs2 flag', 'x,,n=alice,r=abc'],
    ['p with an empty name', 'p=,,n=alice,r=abc'],
    ['p with a bad name', 'p=tls unique,,n=alice,r=abc'],
    ['authzid without a=', 'n,alice,n=alice,r=abc'],
    ['empty a=', 'n,a=,n=alice,r=abc'],
    ['bad escape in authzid', 'n,a=x=41,n=alice,r=abc'],
    ['mandatory extension m=', 'n,,m=ext,n=alice,r=abc'],
    ['bad escape in user name', 'n,,n=al=2Xice,r=abc'],
    ['lone = in user name', 'n,,n=al=ice,r=abc'],
    ['empty user name', 'n,,n=,r=abc'],
    ['attributes out of order', 'n,,r=abc,n=alice'],
    ['missing nonce', 'n,,n=alice'],
    ['empty nonce', 'n,,n=alice,r='],
    ['nonce with a space', 'n,,n=alice,r=a b'],
    ['trailing comma', 'n,,n=alice,r=abc,'],
    ['bad extension name', 'n,,n=alice,r=abc,1=x'],
    ['missing gs2 header', 'n=alice,r=abc'],
    ['NUL byte', 'n,,n=ali\u0000ce,r=abc'],
    ['garbage', 'hello'],
  ])('%s', async (_label, message) => {
    expect(await firstStep(message)).toBe('malformed-request');
  });

  test('invalid UTF-8', async () => {
    expect(await firstStep(Buffer.concat([Buffer.from('n,,n=al'), Buffer.from([0xff, 0xfe]), Buffer.from(',r=abc')])))
      .toBe('malformed-request');
  });

  test('channel binding (p=) on a mechanism without -PLUS', async () => {
    expect(await firstStep('p=tls-exporter,,n=alice,r=abc')).toBe('malformed-request');
  });

  test('unknown extensions are ignored', async () => {
    const session = startSession('SCRAM-SHA-1', saslContext(accounts));
    expect((await session.step(Buffer.from('n,,n=alice,r=abc,x=whatever'))).kind).toBe('challenge');
  });

  test('an empty response gets an empty challenge once, a second one is malformed', async () => {
    const session = startSession('SCRAM-SHA-1', saslContext(accounts));
    expect(challengeData(await session.step(Buffer.alloc(0)))).toHaveLength(0);
    expect(failureCondition(await session.step(Buffer.alloc(0)))).toBe('malformed-request');
  });

  test('an empty response then a client-first-message continues normally', async () => {
    const client = new ScramClient({ hash: 'sha1', username: 'alice', password: 'wonderland' });
    const session = startSession('SCRAM-SHA-1', saslContext(accounts));
    await session.step(Buffer.alloc(0));
    const serverFirst = challengeData(await session.step(client.first()));
    expect((await session.step(client.final(serverFirst))).kind).toBe('success');
  });
});

describe('malformed client-final-message → malformed-request', () => {
  test.each<[string, (serverFirst: string) => string]>([
    ['empty', () => ''],
    ['missing c=', (s) => `r=${nonceOf(s)},p=AAAA`],
    ['c= not base64', (s) => `c=bi*s,r=${nonceOf(s)},p=AAAA`],
    ['c= with non-canonical padding bits', (s) => `c=bh==,r=${nonceOf(s)},p=AAAA`],
    ['r before c', (s) => `r=${nonceOf(s)},c=biws,p=AAAA`],
    ['missing proof', (s) => `c=biws,r=${nonceOf(s)}`],
    ['proof not last', (s) => `c=biws,r=${nonceOf(s)},p=AAAA,x=1`],
    ['empty proof', (s) => `c=biws,r=${nonceOf(s)},p=`],
    ['proof not base64', (s) => `c=biws,r=${nonceOf(s)},p=!!!!`],
    ['bad extension', (s) => `c=biws,r=${nonceOf(s)},==x,p=AAAA`],
  ])('%s', async (_label, final) => {
    expect(await finalStep(final)).toBe('malformed-request');
  });
});

describe('integrity failures → not-authorized', () => {
  test('a nonce other than the combined one', async () => {
    expect(await finalStep((_s, client) => client.final(Buffer.from(_s), (m) => m.replace(/r=[^,]+/, 'r=forged')).toString()))
      .toBe('not-authorized');
  });

  test('c= that does not repeat the gs2 header', async () => {
    // eSws is base64("y,,"): the client claims another header than it sent.
    expect(await finalStep((s, client) => client.final(Buffer.from(s), (m) => m.replace('c=biws', 'c=eSws')).toString()))
      .toBe('not-authorized');
  });

  test('a proof of the wrong length', async () => {
    expect(await finalStep((s) => `c=biws,r=${nonceOf(s)},p=AAAA`)).toBe('not-authorized');
  });

  test('an extension inserted by a third party breaks the proof', async () => {
    expect(await finalStep((s, client) => {
      const final = client.final(Buffer.from(s)).toString();
      return final.replace(',p=', ',x=injected,p=');
    })).toBe('not-authorized');
  });
});

describe('after the exchange', () => {
  test('a step after success or failure is malformed', async () => {
    const client = new ScramClient({ hash: 'sha1', username: 'alice', password: 'wonderland' });
    const session = startSession('SCRAM-SHA-1', saslContext(accounts));
    const serverFirst = challengeData(await session.step(client.first()));
    expect((await session.step(client.final(serverFirst))).kind).toBe('success');
    expect(failureCondition(await session.step(Buffer.from('again')))).toBe('malformed-request');

    const failed = startSession('SCRAM-SHA-1', saslContext(accounts));
    expect(failureCondition(await failed.step(Buffer.from('garbage')))).toBe('malformed-request');
    expect(failureCondition(await failed.step(client.first()))).toBe('malformed-request');
  });
});
