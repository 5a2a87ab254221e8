/**
 * Names (XML 1.0 §2.3 production Name) read as qualified names (Namespaces in XML 1.0 §3:
 * QName ::= (Prefix ':')? LocalPart, both NCNames). ASCII goes through lookup tables; other
 * characters, surrogate pairs included, are checked against the full productions.
 */
import { FAILED, INCOMPLETE, type ScanState } from './scan-state.js';
import { isNameCodePoint, isNameStartCodePoint, NAME_CHAR, NAME_START } from './xml-chars.js';

const COLON = 0x3a;

/** The code point at `pos` when it is non-ASCII, -1 for a surrogate pair split by the end of input. */
function codePointAt(s: string, pos: number): number {
  const code = s.charCodeAt(pos);
  if (code < 0xd800 || code > 0xdbff) return code;
  if (pos + 1 === s.length) return -1;
  return s.codePointAt(pos) ?? code;
}

/** Reads one NCName character at `pos`; returns the position after it, or `pos` if it is none. */
function skipNameChar(state: ScanState, pos: number, isStart: boolean): number {
  const s = state.s;
  const code = s.charCodeAt(pos);
  if (code < 0x80) return (isStart ? NAME_START : NAME_CHAR)[code] === 1 ? pos + 1 : pos;
  const point = codePointAt(s, pos);
  if (point === -1) return INCOMPLETE;
  if (!(isStart ? isNameStartCodePoint(point) : isNameCodePoint(point))) return pos;
  const width = point > 0xffff ? 2 : 1;
  const extra = point < 0x800 ? 1 : 2;
  state.extra += extra;
  state.nameExtra += extra;
  return pos + width;
}

/** Reads an NCName from `pos` to its end; `pos` must hold a name start character. */
function scanNcName(state: ScanState, pos: number): number {
  const s = state.s;
  const end = s.length;
  if (pos >= end) return INCOMPLETE;
  let i = skipNameChar(state, pos, true);
  if (i === pos) return state.fail('Name expected');
  while (i >= 0 && i < end) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      if (NAME_CHAR[code] !== 1) return i;
      i++;
    } else {
      const next = skipNameChar(state, i, false);
      if (next === i) return i;
      i = next;
    }
  }
  return i === end ? INCOMPLETE : i;
}

/**
 * Reads a QName starting at `pos`. Returns the position after it, `INCOMPLETE` when the input
 * ends inside it (a name only ends at a character that is not part of it), or `FAILED`.
 * Sets `state.colon` to the offset of the colon in the name, or -1.
 */
export function scanQName(state: ScanState, pos: number): number {
  state.nameExtra = 0;
  state.colon = -1;
  const end = scanNcName(state, pos);
  if (end < 0 || state.s.charCodeAt(end) !== COLON) return end;
  state.colon = end - pos;
  if (end + 1 === state.s.length) return INCOMPLETE;
  const localEnd = scanNcName(state, end + 1);
  if (localEnd === FAILED) return state.fail('Malformed qualified name');
  if (localEnd >= 0 && state.s.charCodeAt(localEnd) === COLON) return state.fail('Malformed qualified name');
  return localEnd;
}

/** Reads an NCName (entity names, processing instruction targets: Namespaces in XML 1.0 §7). */
export function scanName(state: ScanState, pos: number): number {
  state.nameExtra = 0;
  state.colon = -1;
  return scanNcName(state, pos);
}
