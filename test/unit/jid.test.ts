/** JID parsing and normalisation (RFC 7622). */
import { describe, expect, test } from '@jest/globals';
import { normaliseLocal, parseJid } from '../../server/jid/index.js';

const valid = (input: string): string => {
  const parsed = parseJid(input);
  if (!parsed.ok) throw new Error(`${input}: ${parsed.error}`);
  return parsed.value.toString();
};

describe('parseJid', () => {
  test.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['alice@example.com/Res/With/Slashes', 'alice@example.com/Res/With/Slashes'],
    ['alice@example.com/a@b', 'alice@example.com/a@b'],
    ['example.com.', 'example.com'],
    ['ＡＬＩＣＥ@example.com', 'alice@example.com'],
    ['room@conference.example.com/Nick Name', 'room@conference.example.com/Nick Name'],
    ['[::1]', '[::1]'],
    ['bücher.example', 'bücher.example'],
  ])('%s → %s', (input, expected) => {
    expect(valid(input)).toBe(expected);
  });

  test.each([
    ['', 'empty'],
    ['@example.com', 'bad-local'],
    ['alice@', 'bad-domain'],
    ['alice@example.com/', 'bad-resource'],
    ['a@b@c', 'bad-domain'],
    ['al ice@example.com', 'bad-local'],
    ["al'ice@example.com", 'bad-local'],
    ['alice@exa mple.com', 'bad-domain'],
    ['alice@example..com', 'bad-domain'],
    ['alice@example.com/\u0007bell', 'bad-resource'],
    [`${'a'.repeat(1024)}@example.com`, 'bad-local'],
  ])('%s is rejected (%s)', (input, problem) => {
    const parsed = parseJid(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe(problem);
  });

  test('bare() drops the resource and is cached', () => {
    const parsed = parseJid('alice@example.com/phone');
    if (!parsed.ok) throw new Error('unexpected');
    expect(parsed.value.bare().toString()).toBe('alice@example.com');
    expect(parsed.value.bare()).toBe(parsed.value.bare());
    expect(parsed.value.isBare).toBe(false);
    expect(parsed.value.bare().equals(parsed.value)).toBe(false);
  });
});

describe('resourceparts: the OpaqueString profile (RFC 7622 §3.4, RFC 8265 §4.2, RFC 8264 §4.3)', () => {
  test.each([
    ['printable ASCII with spaces', 'My Desk (2)', 'My Desk (2)'],
    ['letters, digits and symbols of any script', 'Büro 日本 ☕ Ωμέγα ١٢٣', 'Büro 日本 ☕ Ωμέγα ١٢٣'],
    ['a combining sequence, composed by NFC', 'e\u0301', 'é'],
    ['a no-break space, mapped to a space', 'my\u00a0desk', 'my desk'],
    ['an ideographic space, mapped to a space', 'my\u3000desk', 'my desk'],
    ['fullwidth letters, not width-mapped', 'ＤＥＳＫ', 'ＤＥＳＫ'],
    ['a ZWJ after a virama (RFC 5892 A.2)', 'क\u094d\u200dष', 'क\u094d\u200dष'],
    ['a ZWNJ after a virama (RFC 5892 A.1)', 'क\u094d\u200cष', 'क\u094d\u200cष'],
    ['a ZWNJ between Arabic-script letters (RFC 5892 A.1)', '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'],
    ['an emoji', '\u{1F600}', '\u{1F600}'],
    ['an emoji ZWJ sequence with a skin tone (as room nicknames allow)', '\u{1F9D1}\u{1F3FD}\u200d\u{1F4BB} coder', '\u{1F9D1}\u{1F3FD}\u200d\u{1F4BB} coder'],
    ['an emoji presentation selector after an emoji', '\u2764\ufe0f', '\u2764\ufe0f'],
    ['a flag sequence with VS16 and ZWJ', '\u{1F3F3}\ufe0f\u200d\u{1F308}', '\u{1F3F3}\ufe0f\u200d\u{1F308}'],
    ['a keycap', '#\ufe0f\u20e3', '#\ufe0f\u20e3'],
  ])('%s is accepted', (_name, resource, expected) => {
    expect(valid(`alice@example.com/${resource}`)).toBe(`alice@example.com/${expected}`);
  });

  test.each([
    ['a right-to-left override and a zero-width space', '\u202eevil\u200b'],
    ['a left-to-right embedding', '\u202adesk'],
    ['a right-to-left mark', 'desk\u200f'],
    ['a first-strong isolate', '\u2068desk'],
    ['an Arabic letter mark', '\u061cdesk'],
    ['a zero-width space', 'de\u200bsk'],
    ['a ZWJ between Latin letters', 'de\u200dsk'],
    ['a ZWJ after an emoji, before a letter', '\u{1F468}\u200dx'],
    ['a ZWJ before an emoji, after a letter', 'x\u200d\u{1F468}'],
    ['a ZWNJ between Latin letters', 'de\u200csk'],
    ['a ZWNJ at the end of an Arabic word', '\u0628\u200c'],
    ['a word joiner', 'de\u2060sk'],
    ['a byte order mark', '\ufeffdesk'],
    ['a soft hyphen', 'de\u00adsk'],
    ['an emoji presentation selector after a letter', 'desk\ufe0f'],
    ['a text presentation selector after a letter', 'desk\ufe0e'],
    ['a standardized variation selector', '\u2615\ufe00'],
    ['a combining grapheme joiner', 'de\u034fsk'],
    ['the Hangul filler', '\u3164'],
    ['a lone conjoining jamo', 'desk\u1100'],
    ['a line separator', 'desk\u2028'],
    ['a paragraph separator', 'desk\u2029'],
    ['a private-use character', 'desk\ue000'],
    ['a noncharacter', 'desk\ufdd0'],
    ['an unassigned code point', 'desk\u{E0080}'],
    ['a lone surrogate', 'desk\ud800'],
    ['a C0 control', 'de\u0009sk'],
    ['DEL', 'desk\u007f'],
    ['a C1 control', 'desk\u0085'],
    ['a language tag character', 'desk\u{E0041}'],
  ])('%s is rejected', (_name, resource) => {
    const parsed = parseJid(`alice@example.com/${resource}`);
    expect(parsed.ok ? parsed.value.resource : parsed.error).toBe('bad-resource');
  });
});

describe('localparts: the UsernameCaseMapped profile (RFC 7622 §3.3, RFC 8265 §3.3, RFC 8264 §4.2)', () => {
  test.each([
    ['ASCII upper case, lower-cased', 'Alice', 'alice'],
    ['ASCII symbols the IdentifierClass allows', 'a+b_c.d-e~f!g#h$i%j*k=l?m^n`o{p|q}r', 'a+b_c.d-e~f!g#h$i%j*k=l?m^n`o{p|q}r'],
    ['fullwidth letters, width-mapped', '\uFF21\uFF2C\uFF29\uFF23\uFF25', 'alice'],
    ['halfwidth katakana with a voiced mark, width-mapped then composed', '\uFF76\uFF9E', '\u30AC'],
    ['Latin letters with diacritics, lower-cased', 'ÜNÏCÖDÉ', 'ünïcödé'],
    ['a combining sequence, composed by NFC', 'e\u0301', 'é'],
    ['Greek, with the final sigma of toLowerCase', 'ΟΔΟΣ', 'οδος'],
    ['sharp s (an RFC 5892 §2.6 exception)', 'Straße', 'straße'],
    ['a middle dot between two l (RFC 5892 A.3)', 'col·lecció', 'col·lecció'],
    ['Han, Hiragana and a katakana middle dot (A.7)', '日本・ひらがな', '日本・ひらがな'],
    ['a Hebrew geresh after a Hebrew letter (A.5)', 'צ׳', 'צ׳'],
    ['Arabic-Indic digits alone (A.8)', '١٢٣', '١٢٣'],
    ['a ZWJ after a virama (A.2)', 'क\u094d\u200dष', 'क\u094d\u200dष'],
    ['a ZWNJ between Arabic-script letters (A.1)', '\u0645\u06cc\u200c\u062e\u0648', '\u0645\u06cc\u200c\u062e\u0648'],
  ])('%s is accepted', (_name, local, expected) => {
    expect(valid(`${local}@example.com`)).toBe(`${expected}@example.com`);
  });

  test.each([
    ['a soft hyphen (default-ignorable)', 'ad\u00admin'],
    ['a zero-width space', 'ad\u200bmin'],
    ['a word joiner', 'ad\u2060min'],
    ['a byte order mark', '\ufeffadmin'],
    ['a ZWJ between Latin letters', 'ad\u200dmin'],
    ['a ZWNJ between Latin letters', 'ad\u200cmin'],
    ['a right-to-left override', '\u202eadmin'],
    ['a variation selector', 'admin\ufe0f'],
    ['the Hangul filler', '\u3164admin'],
    ['an ASCII space', 'ad min'],
    ['a no-break space', 'ad\u00a0min'],
    ['an ideographic space (width-mapped to a space)', 'ad\u3000min'],
    ['a ligature (a compatibility character: NFKC mapped it to "fi" before)', '\ufb01le'],
    ['a superscript digit', 'x\u00b2'],
    ['a mathematical bold letter', '\u{1D41A}dmin'],
    ['a circled letter', '\u24d0dmin'],
    ['the trade mark sign', 'admin\u2122'],
    ['an emoji (a symbol)', 'coffee\u2615'],
    ['a currency sign', 'a\u20acb'],
    ['non-ASCII punctuation', 'a\u2014b'],
    ['the replacement character', 'a\ufffdb'],
    ['a middle dot not between two l', 'a·b'],
    ['a katakana middle dot without kana or Han', 'a\u30fbb'],
    ['a Hebrew geresh after a Latin letter', 'a\u05f3'],
    ['Arabic-Indic and extended Arabic-Indic digits together', '\u0661\u06f1'],
    ['the Arabic tatweel (an RFC 5892 §2.6 exception)', '\u0628\u0640\u0628'],
    ['a lone conjoining jamo', '\u1100'],
    ['a private-use character', 'a\ue000'],
    ['an unassigned code point', 'a\u{E0080}'],
    ['a lone surrogate', 'a\ud800'],
    ['a C0 control', 'a\u0009b'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['a quotation mark, excluded by RFC 7622 §3.3.1', 'a"b'],
    ['an ampersand, excluded by RFC 7622 §3.3.1', 'é&b'],
    ['a colon after a non-ASCII letter', 'é:b'],
    ['a fullwidth commercial at (width-mapped to @)', 'a\uff20b'],
    ['over 1023 bytes once mapped', 'é'.repeat(512)],
  ])('%s is rejected', (_name, local) => {
    expect(normaliseLocal(local)).toBeUndefined();
  });

  test('the ASCII fast path agrees with the full enforcement for every ASCII character', () => {
    // A leading é sends the same string through the full (non-ASCII) path.
    for (let c = 0; c < 0x80; c++) {
      const char = String.fromCharCode(c);
      const fast = normaliseLocal(`a${char}`);
      const full = normaliseLocal(`é${char}`);
      expect([char, full]).toEqual([char, fast === undefined ? undefined : `é${fast.slice(1)}`]);
    }
  });

  test('enforcement is idempotent on what it accepts', () => {
    for (const local of ['ÅNGSTRÖM', '\uFF76\uFF9E', 'İstanbul', 'ΟΔΟΣ', 'Straße', 'col·lecció']) {
      const once = normaliseLocal(local);
      expect(once).toBeDefined();
      expect(normaliseLocal(once!)).toBe(once);
    }
  });
});

describe('part lengths (RFC 7622 §3.1: 1023 bytes once normalised)', () => {
  test('a localpart written decomposed may be longer than 1023 code units and still fit once composed', () => {
    const decomposed = 'u\u0308\u0304'.repeat(342); // 1026 code units, 684 bytes as ǖ
    expect(normaliseLocal(decomposed)).toBe('\u01d6'.repeat(342));
  });

  test('input far beyond any part is refused in every part', () => {
    const huge = 'é'.repeat(100_000);
    expect([parseJid(`${huge}@example.com`), parseJid(`a@${huge}`), parseJid(`a@example.com/${huge}`)].map((r) => (r.ok ? 'ok' : r.error)))
      .toEqual(['bad-local', 'bad-domain', 'bad-resource']);
  });
});
