/**
 * SASL user names map to accounts through the same PRECIS profile as account creation
 * (RFC 7622 §3.3, RFC 8265), so a look-alike name never folds onto another account.
 */
import { expect, test } from '@jest/globals';
import { accountName } from '../../server/sasl/sasl-username.js';

test.each([
  ['alice', 'alice'],
  ['Alice', 'alice'],
  ['ＡＬＩＣＥ', 'alice'],
  ['jürgen', 'jürgen'],
])('%j names the account %j', (authcid, account) => {
  expect(accountName(authcid)).toBe(account);
});

test.each([
  ['a soft hyphen', 'ad\u00ADmin'],
  ['a zero-width space', 'ad\u200Bmin'],
  ['a right-to-left override', '\u202Eadmin'],
  ['a space', 'ad min'],
  ['an at sign', 'admin@localhost'],
  ['Latin and Hebrew mixed (bidi rule)', 'user\u05d0'],
  ['nothing', ''],
])('a name with %s names no account', (_what, authcid) => {
  expect(accountName(authcid)).toBeUndefined();
});
