/**
 * Character classes of XML 1.0 (Fifth Edition) as the tokenizer needs them: lookup tables for
 * ASCII, range tests for the rest. Positions are UTF-16 code units; code points above U+FFFF
 * arrive as surrogate pairs and are checked as pairs.
 */

/** XML 1.0 §2.3 production S: space, tab, line feed, carriage return. */
export function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** XML 1.0 §2.3 NameStartChar for code points from U+0080 on (ASCII goes through `NAME_START`). */
export function isNameStartCodePoint(code: number): boolean {
  if (code < 0x37f) return (code >= 0xc0 && code <= 0x2ff && code !== 0xd7 && code !== 0xf7) || (code >= 0x370 && code <= 0x37d);
  if (code <= 0x1fff) return true;
  if (code < 0x3001) {
    return code === 0x200c || code === 0x200d || (code >= 0x2070 && code <= 0x218f) || (code >= 0x2c00 && code <= 0x2fef);
  }
  if (code <= 0xd7ff) return true;
  return (code >= 0xf900 && code <= 0xfdcf) || (code >= 0xfdf0 && code <= 0xfffd) || (code >= 0x10000 && code <= 0xeffff);
}

/** XML 1.0 §2.3 NameChar for code points from U+0080 on. */
export function isNameCodePoint(code: number): boolean {
  return isNameStartCodePoint(code) || code === 0xb7 || (code >= 0x300 && code <= 0x36f) || code === 0x203f || code === 0x2040;
}

/** XML 1.0 §2.2 production Char, for a whole code point (character references). */
export function isXmlCharCodePoint(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code <= 0xd7ff || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Bytes beyond one that UTF-8 needs for the UTF-16 code unit `code` (a surrogate pair needs 4). */
export function utf8Extra(code: number): number {
  if (code < 0x80) return 0;
  if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) return 1;
  return 2;
}

function asciiTable(isMember: (code: number) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = isMember(code) ? 1 : 0;
  return table;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** NameStartChar in ASCII, without `:` (Namespaces in XML 1.0 §3: names are QNames). */
export const NAME_START = asciiTable((code) => isAsciiLetter(code) || code === 0x5f);

/** NameChar in ASCII, without `:`. */
export const NAME_CHAR = asciiTable((code) => isAsciiLetter(code) || code === 0x5f || code === 0x2d || code === 0x2e
  || (code >= 0x30 && code <= 0x39));

/** Ordinary ASCII character data: XML 1.0 Char minus `<`, `&`, `]` (for `]]>`) and CR (normalised, §2.11). */
export const TEXT_PLAIN = asciiTable((code) => (code >= 0x20 && code !== 0x3c && code !== 0x26 && code !== 0x5d) || code === 0x09 || code === 0x0a);

/** Ordinary ASCII inside a CDATA section (XML 1.0 §2.7): everything but `]` and CR. */
export const CDATA_PLAIN = asciiTable((code) => (code >= 0x20 && code !== 0x5d) || code === 0x09 || code === 0x0a);

/**
 * Ordinary ASCII in an attribute value (XML 1.0 §3.1 AttValue): no `<`, `&` or quote, and no
 * tab, LF or CR, which the value normalisation of §3.3.3 turns into spaces.
 */
export const ATTRIBUTE_PLAIN = asciiTable((code) => code >= 0x20 && code !== 0x3c && code !== 0x26 && code !== 0x22 && code !== 0x27);
