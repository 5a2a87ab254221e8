/**
 * References in character data and attribute values (XML 1.0 §4.1): character references
 * (`&#65;`, `&#x41;`) and the five predefined entities (§4.6). XMPP declares no other entity
 * (RFC 6120 §11.1), so any other well-formed entity reference is `restricted-xml`.
 */
import { StreamError } from '../errors/index.js';
import { scanName } from './name-scanner.js';
import { FAILED, INCOMPLETE, type ScanState } from './scan-state.js';
import { isXmlCharCodePoint } from './xml-chars.js';

const HASH = 0x23;
const SEMICOLON = 0x3b;
const LOWER_X = 0x78;

/** XML 1.0 §4.6: the only entities a document without a DTD may reference. */
const PREDEFINED: ReadonlyMap<string, string> = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

/** The value of a hexadecimal or decimal digit, or -1. */
function digitValue(code: number, hex: boolean): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (!hex) return -1;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** XML 1.0 §4.1 CharRef ::= '&#' [0-9]+ ';' | '&#x' [0-9a-fA-F]+ ';' — `pos` is after `&#`. */
function scanCharacterReference(state: ScanState, pos: number): number {
  const s = state.s;
  const end = s.length;
  if (pos >= end) return INCOMPLETE;
  const hex = s.charCodeAt(pos) === LOWER_X;
  let i = hex ? pos + 1 : pos;
  const first = i;
  let value = 0;
  for (; i < end; i++) {
    const digit = digitValue(s.charCodeAt(i), hex);
    if (digit < 0) break;
    // Past U+10FFFF the value is invalid anyway; stop growing it so it stays exact.
    if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + digit;
  }
  if (i === end) return INCOMPLETE;
  if (i === first || s.charCodeAt(i) !== SEMICOLON) return state.fail('Malformed character reference');
  // XML 1.0 §4.1 WFC Legal Character: the referenced character must match production Char.
  if (!isXmlCharCodePoint(value)) return state.fail('Character reference to a character not allowed in XML');
  state.value = String.fromCodePoint(value);
  return i + 1;
}

/**
 * Reads the reference starting with the `&` at `pos`. Returns the position after its `;` with the
 * replacement text in `state.value`, `INCOMPLETE`, or `FAILED`.
 */
export function scanReference(state: ScanState, pos: number): number {
  const s = state.s;
  if (pos + 1 >= s.length) return INCOMPLETE;
  if (s.charCodeAt(pos + 1) === HASH) return scanCharacterReference(state, pos + 2);
  const extraBefore = state.extra;
  const nameEnd = scanName(state, pos + 1);
  state.extra = extraBefore; // a name that is not predefined fails below, whatever its bytes
  if (nameEnd < 0) return nameEnd === FAILED ? state.fail('Malformed entity reference') : nameEnd;
  if (s.charCodeAt(nameEnd) !== SEMICOLON) return state.fail('Malformed entity reference');
  const name = s.slice(pos + 1, nameEnd);
  const replacement = PREDEFINED.get(name);
  if (replacement === undefined) {
    return state.failWith(new StreamError('restricted-xml', `Undefined entity &${name}; (no DTD in XMPP)`));
  }
  state.value = replacement;
  return nameEnd + 1;
}
