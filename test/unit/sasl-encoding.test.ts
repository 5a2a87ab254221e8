import { describe, test, expect } from '@jest/globals';
import { decodeBase64Strict } from '../../server/sasl/index.js';
import { prepareSaslString } from '../../server/accounts/index.js';

describe('decodeBase64Strict', () => {
  test.each(['', 'YQ==', 'YWI=', 'YWJj', 'cj1hYmMsdj0/Pz8+Pj4='])('accepts canonical base64 %p', (text) => {
    expect(decodeBase64Strict(text)?.toString('base64')).toBe(text);
  });

  test.each([
    ['missing padding', 'YQ'], ['whitespace', 'YW Jj'], ['a line break', 'YWJj\n'], ['URL-safe alphabet', '-_8='],
    ['padding inside', 'YQ==YQ=='], ['non-zero padding bits', 'YR=='], ['a character outside the alphabet', 'YW*j'],
    ['too much padding', 'YQ==='], ['a lone character', 'Y'],
  ])('refuses %s', (_what, text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });
});

describe('SASLprep of ASCII strings', () => {
  test('printable ASCII and spaces are returned unchanged', () => {
    expect(prepareSaslString('user0')).toBe('user0');
    expect(prepareSaslString(' a b~!\'"=,')).toBe(' a b~!\'"=,');
  });

  test('ASCII control characters are still refused, non-ASCII still mapped', () => {
    expect(prepareSaslString('a\u0007b')).toBeUndefined();
    expect(prepareSaslString('a\u00a0b')).toBe('a b'); // RFC 4013 §2.1: non-ASCII space to SPACE
    expect(prepareSaslString('I\u00adX')).toBe('IX'); // RFC 4013 §2.1: soft hyphen to nothing
  });
});
