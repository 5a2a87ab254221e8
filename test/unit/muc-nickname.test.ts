import { describe, expect, test } from '@jest/globals';
import { validateNickname } from '../../muc/index.js';
import { nicknameKey, sameNickname } from '../../muc/joining/nickname.js';

function accepted(nick: string | undefined): string | undefined {
  const result = validateNickname(nick);
  return result.ok ? result.value : undefined;
}

describe('validateNickname: accepted nicknames (RFC 8266 enforcement)', () => {
  test.each([
    ['thirdwitch', 'thirdwitch'],
    ['Third Witch', 'Third Witch'],
    ['  padded  ', 'padded'],
    ['many    spaces', 'many spaces'],
    ['non\u00A0breaking\u2003space', 'non breaking space'],
    ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['\u2163 (roman four)', 'IV (roman four)'],
    ['Cafe\u0301', 'Caf\u00E9'],
    ['The ♚', 'The ♚'],
    ['名前', '名前'],
    ['👩‍💻 coder', '👩‍💻 coder'],
    ['❤️', '❤️'],
    ['a/b@c', 'a/b@c'],
  ])('%j → %j', (input, expected) => {
    expect(accepted(input)).toBe(expected);
  });

  test('a nickname of exactly 1023 octets is accepted', () => {
    expect(accepted('é'.repeat(511) + 'a')).toHaveLength(512);
  });
});

describe('validateNickname: refused nicknames are jid-malformed (§7.2.1)', () => {
  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['only spaces (§17.1)', '   '],
    ['only a no-break space', '\u00A0'],
    ['control character', 'bad\u0007bell'],
    ['newline', 'two\nlines'],
    ['tab', 'tab\there'],
    ['leading tab', '\tleading'],
    ['trailing newline', 'trailing\n'],
    ['zero-width space', 'zero\u200Bwidth'],
    ['only a zero-width space', '\u200B'],
    ['right-to-left override', 'abc\u202Edef'],
    ['soft hyphen', 'soft\u00ADhyphen'],
    ['byte order mark', '\uFEFFbom'],
    ['line separator', 'line\u2028sep'],
    ['private use', 'private\uE000'],
    ['noncharacter', 'non\uFDD0char'],
    ['unassigned code point', 'unassigned\u0378'],
    ['lone surrogate', 'lone\uD800'],
    ['old Hangul jamo', 'jamo\u1100'],
    ['longer than 1023 octets', 'é'.repeat(512)],
  ])('%s', (_name, input) => {
    const result = validateNickname(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.condition).toBe('jid-malformed');
      expect(result.error.type).toBe('modify');
    }
  });
});

describe('nickname comparison (§7.2.8)', () => {
  test('comparison ignores case, width and surrounding spaces', () => {
    expect(sameNickname('ThirdWitch', 'thirdwitch')).toBe(true);
    expect(sameNickname('ｔｈｉｒｄ', 'THIRD')).toBe(true);
    expect(sameNickname(' witch ', 'WITCH')).toBe(true);
    expect(sameNickname('Straße', 'strasse')).toBe(false);
    expect(sameNickname('first', 'second')).toBe(false);
  });

  test('the key is stable', () => {
    const key = nicknameKey('Ｔhe  Ｗitch');
    expect(key).toBe('the witch');
    expect(nicknameKey(key)).toBe(key);
  });
});
