import { describe, test, expect } from '@jest/globals';
import { offeredMechanisms, startSasl } from '../../server/sasl/index.js';
import { SASL_MECHANISMS } from '../../server/sasl/mechanisms.js';
import { openAccountStore } from '../../server/accounts/index.js';
import { createMemoryDriver } from '../../server/storage/index.js';

const ALL = ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'];

describe('offeredMechanisms', () => {
  test.each([
    // secure, allowUnencryptedPlain, channelBindingAvailable → offered
    [true, false, true, ALL],
    [true, false, false, ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN']],
    [false, false, false, ['SCRAM-SHA-256', 'SCRAM-SHA-1']],
    [false, true, false, ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN']],
    [true, true, true, ALL],
    [false, false, true, ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1']],
  ])('secure=%s allowUnencryptedPlain=%s binding=%s', (secure, allowUnencryptedPlain, channelBindingAvailable, expected) => {
    expect(offeredMechanisms({ secure, allowUnencryptedPlain, channelBindingAvailable })).toEqual(expected);
  });

  test('disabled mechanisms are left out, case-insensitively', () => {
    expect(offeredMechanisms({
      secure: true, allowUnencryptedPlain: false, channelBindingAvailable: true, disabled: ['plain', 'SCRAM-SHA-1-PLUS'],
    })).toEqual(['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1']);
  });

  test('the list of implemented mechanisms is strongest first', () => {
    expect([...SASL_MECHANISMS]).toEqual(ALL);
  });
});

describe('startSasl', () => {
  const context = {
    accounts: openAccountStore(createMemoryDriver(), 'localhost'),
    channelBinding: () => undefined,
    secure: true,
  };

  test.each(ALL)('%s starts a session with that name', (mechanism) => {
    expect(startSasl(mechanism, context)?.mechanism).toBe(mechanism);
  });

  test.each(['DIGEST-MD5', 'scram-sha-1', 'X-OAUTH2', '', 'ANONYMOUS'])('%j is not a mechanism here', (mechanism) => {
    expect(startSasl(mechanism, context)).toBeUndefined();
  });
});
