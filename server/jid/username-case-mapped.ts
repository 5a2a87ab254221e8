/**
 * JID localparts (RFC 7622 §3.3): the UsernameCaseMapped profile of PRECIS (RFC 8265 §3.3), with
 * the characters RFC 7622 §3.3.1 excludes as well ("&'/:<>@). One function serves every place a
 * user name enters: account creation (CLI, import, in-band registration, fixture users), the
 * SASL user name at login and the addresses of stanzas, so a name that cannot be created cannot
 * be logged into or addressed either, and no invisible variant of a name can exist beside it.
 *
 * Enforcement (RFC 8264 §7), in order: width mapping (fullwidth and halfwidth forms to their
 * decompositions), case mapping (Unicode toLowerCase), NFC, then the IdentifierClass
 * (RFC 8264 §4.2, §8): letters, digits, combining marks and printable ASCII; never spaces,
 * symbols, punctuation beyond ASCII, controls, format or other default-ignorable characters
 * (U+00AD SOFT HYPHEN, U+200B ZERO WIDTH SPACE, …), compatibility characters (ligatures,
 * superscripts, circled and mathematical letters) or unassigned code points.
 * Not applied: the Bidi Rule (RFC 5893), which needs the Bidi_Class property JavaScript does not
 * expose; right-to-left names are accepted when each character is.
 */
import { LRUCache } from 'lru-cache';
import { JOINING, OLD_HANGUL_JAMO, VIRAMA } from './precis-context.js';

/** RFC 7622 §3.1: each part is at most 1023 octets. */
const MAX_PART_BYTES = 1023;
/** Input longer than this (in UTF-16 code units) is over the limit whatever the mapping does. */
const MAX_INPUT_UNITS = 4 * MAX_PART_BYTES;
/** RFC 7622 §3.3.1: ASCII characters UsernameCaseMapped allows but a localpart may not hold. */
const EXCLUDED = /["&'/:<>@]/;
/** RFC 8264 §9.11 (via RFC 8265 §3.3.2 step 1): code points with a <wide> or <narrow> decomposition. */
const WIDE_OR_NARROW = /[\u3000\uFF01-\uFFEE]/gu;
/** RFC 8264 §9.1 LetterDigits: PVALID in the IdentifierClass. */
const LETTER_DIGITS = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
/**
 * Disallowed before LetterDigits is consulted (RFC 8264 §8 order): unassigned code points and
 * surrogates, OldHangulJamo (§9.9, letters otherwise), PrecisIgnorableProperties (§9.13:
 * default-ignorable code points and noncharacters) and controls (§9.14).
 */
const DISALLOWED_FIRST = new RegExp(
  `^[\\p{Cn}\\p{Cs}${OLD_HANGUL_JAMO}\\p{Default_Ignorable_Code_Point}\\p{Noncharacter_Code_Point}\\p{Cc}]$`, 'u');
/** RFC 5892 §2.6 exceptions that are PVALID although their category would not be. */
const EXCEPTION_VALID = new Set([0xdf, 0x3c2, 0x6fd, 0x6fe, 0xf0b, 0x3007]);
/** RFC 5892 §2.6 exceptions that are DISALLOWED although they are letters or marks. */
const EXCEPTION_DISALLOWED = new Set([0x640, 0x7fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b]);
const GREEK = /^\p{sc=Greek}$/u;
const HEBREW = /^\p{sc=Hebrew}$/u;
const KANA_OR_HAN = /^[\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Han}]$/u;
const VIRAMA_CHAR = new RegExp(`^[${VIRAMA}]$`, 'u');
const JOINING_CHAR = new RegExp(`^[${JOINING}]$`, 'u');
const MARK = /^\p{M}$/u;
const ZWNJ = 0x200c;
const ZWJ = 0x200d;

/**
 * The localpart in canonical form, `''` for none, or undefined when the profile refuses it.
 * Printable ASCII (nearly every name) takes a fast path that needs no Unicode tables.
 */
export function prepareLocalpart(local: string): string | undefined {
  if (local === '') return '';
  if (local.length <= MAX_PART_BYTES) {
    const ascii = asciiLocalpart(local);
    if (ascii !== NOT_ASCII) return ascii;
  }
  // NFC composes at most three code units into a two-byte character (u + U+0308 + U+0304 → ǖ),
  // so longer input cannot fit in 1023 bytes: refused without work and without a cache entry.
  if (local.length > MAX_INPUT_UNITS) return undefined;
  const cached = cache.get(local);
  if (cached !== undefined) return cached === false ? undefined : cached;
  const result = enforce(local);
  cache.set(local, result ?? false);
  return result;
}

const NOT_ASCII = Symbol('not ASCII');

/** For each ASCII code: 0 refused, 1 kept, 2 upper case (mapped). */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0x21; c <= 0x7e; c++) ASCII_CLASS[c] = c >= 0x41 && c <= 0x5a ? 2 : 1;
// Space, controls and DEL (0x00–0x20, 0x7F) are outside the IdentifierClass; RFC 7622 §3.3.1
// excludes these.
for (const c of '"&\'/:<>@') ASCII_CLASS[c.charCodeAt(0)] = 0;

/** ASCII7 (0x21–0x7E) is PVALID and unchanged by width mapping and NFC; only upper case maps. */
function asciiLocalpart(local: string): string | undefined | typeof NOT_ASCII {
  let hasUpper = false;
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    if (c > 0x7f) return NOT_ASCII;
    const kind = ASCII_CLASS[c];
    if (kind === 0) return undefined;
    if (kind === 2) hasUpper = true;
  }
  return hasUpper ? local.toLowerCase() : local;
}

/**
 * Non-ASCII results are cached (the same addresses recur on every stanza to them, and the class
 * check walks Unicode tables). Bounded in entries and, as keys are at most MAX_INPUT_UNITS long,
 * in bytes (about 16 MiB at worst): a flood of random names only evicts.
 */
const cache = new LRUCache<string, string | false>({ max: 2048 });

function enforce(local: string): string | undefined {
  // RFC 8264 §7: the rules are not always idempotent; apply them until the output is stable,
  // and refuse a string that is not stable after three more applications.
  let mapped = map(local);
  for (let round = 0; round < 3; round++) {
    const again = map(mapped);
    if (again === mapped) return isIdentifier(mapped) ? mapped : undefined;
    mapped = again;
  }
  return undefined;
}

/** RFC 8265 §3.3.2 steps 1, 3 and 4 (step 2, additional mapping, is empty for this profile). */
function map(text: string): string {
  return text.replace(WIDE_OR_NARROW, (c) => c.normalize('NFKC')).toLowerCase().normalize('NFC');
}

/** Whether every code point of a mapped string is allowed, in context, with the size limit. */
function isIdentifier(text: string): boolean {
  if (EXCLUDED.test(text) || Buffer.byteLength(text) > MAX_PART_BYTES) return false;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    if (!isAllowedAt(chars, i)) return false;
  }
  return chars.length > 0;
}

/** RFC 8264 §8: the IdentifierClass value of one code point, contextual rules included. */
function isAllowedAt(chars: readonly string[], i: number): boolean {
  const char = chars[i]!;
  const cp = char.codePointAt(0)!;
  if (EXCEPTION_VALID.has(cp)) return true;
  if (EXCEPTION_DISALLOWED.has(cp)) return false;
  const contextual = contextualRule(chars, i, cp);
  if (contextual !== undefined) return contextual;
  if (cp >= 0x21 && cp <= 0x7e) return true;
  if (DISALLOWED_FIRST.test(char)) return false;
  // HasCompat (§9.12): a character NFKC would change is refused, not mapped.
  if (char.normalize('NFKC') !== char) return false;
  return LETTER_DIGITS.test(char);
}

/** CONTEXTJ and CONTEXTO rules (RFC 5892 Appendix A); undefined when the code point has none. */
function contextualRule(chars: readonly string[], i: number, cp: number): boolean | undefined {
  const before = chars[i - 1] ?? '';
  const after = chars[i + 1] ?? '';
  switch (cp) {
    case ZWJ: return VIRAMA_CHAR.test(before); // A.2
    case ZWNJ: return VIRAMA_CHAR.test(before) || isBetweenJoiningLetters(chars, i); // A.1
    case 0xb7: return before === 'l' && after === 'l'; // A.3 MIDDLE DOT (Catalan l·l)
    case 0x375: return GREEK.test(after); // A.4 GREEK LOWER NUMERAL SIGN
    case 0x5f3: case 0x5f4: return HEBREW.test(before); // A.5, A.6 GERESH, GERSHAYIM
    case 0x30fb: return chars.some((c) => KANA_OR_HAN.test(c)); // A.7 KATAKANA MIDDLE DOT (itself Common)
    default: break;
  }
  // A.8, A.9: Arabic-Indic and extended Arabic-Indic digits never mix in one string.
  if (cp >= 0x660 && cp <= 0x669) return !chars.some((c) => c >= '\u06f0' && c <= '\u06f9');
  if (cp >= 0x6f0 && cp <= 0x6f9) return !chars.some((c) => c >= '\u0660' && c <= '\u0669');
  return undefined;
}

/** A.1's joining rule: a joining letter, marks, ZWNJ, marks, a joining letter. */
function isBetweenJoiningLetters(chars: readonly string[], i: number): boolean {
  let b = i - 1;
  while (b >= 0 && MARK.test(chars[b]!)) b--;
  let a = i + 1;
  while (a < chars.length && MARK.test(chars[a]!)) a++;
  return b >= 0 && a < chars.length && JOINING_CHAR.test(chars[b]!) && JOINING_CHAR.test(chars[a]!);
}
