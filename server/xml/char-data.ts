/**
 * Character data inside elements (XML 1.0 §2.4) and CDATA sections (§2.7), decoded into
 * `ScanState.text`: references replaced, line breaks normalised to LF (§2.11), every character
 * checked against production Char (§2.2). Runs without markup are taken as substrings.
 */
import { scanReference } from './char-reference.js';
import { FAILED, INCOMPLETE, skipPlain, type ScanState } from './scan-state.js';
import { CarryKind } from './token-carry.js';
import { CDATA_PLAIN, TEXT_PLAIN } from './xml-chars.js';

const AMPERSAND = 0x26;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const CLOSE_BRACKET = 0x5d;
const LF = 0x0a;
const CR = 0x0d;

/** XML 1.0 §2.11: CR LF and a lone CR both become LF; returns the position after the line break. */
function lineBreak(state: ScanState, pos: number): number {
  state.text += '\n';
  const next = pos + 1;
  if (next === state.s.length) {
    state.pendingLineFeed = true;
    return next;
  }
  return state.s.charCodeAt(next) === LF ? next + 1 : next;
}

/**
 * At a `]` of character data: whether `]]>` starts here. -1 when the input ends too soon to
 * tell (the brackets are then carried over), else 1 for `]]>` and 0 for anything else.
 */
function closesCData(s: string, pos: number): number {
  const end = s.length;
  if (pos + 1 >= end) return -1;
  if (s.charCodeAt(pos + 1) !== CLOSE_BRACKET) return 0;
  if (pos + 2 >= end) return -1;
  return s.charCodeAt(pos + 2) === GREATER_THAN ? 1 : 0;
}

/**
 * Reads character data from `pos` up to the next `<` (returned) or the end of input. Returns
 * `INCOMPLETE` with `carryAt` set when a reference, `]]` or a surrogate pair is cut off.
 */
export function scanText(state: ScanState, pos: number): number {
  const s = state.s;
  const end = s.length;
  let start = pos;
  let i = pos;
  for (;;) {
    i = skipPlain(state, i, TEXT_PLAIN);
    if (i >= end) {
      state.text += s.slice(start, end);
      return end;
    }
    const code = s.charCodeAt(i);
    if (code !== CLOSE_BRACKET) state.text += s.slice(start, i);
    if (code === LESS_THAN) return i;
    if (code === AMPERSAND) {
      const next = scanReference(state, i);
      if (next < 0) return next === INCOMPLETE ? state.incomplete(i, CarryKind.Reference) : FAILED;
      state.text += state.value;
      start = i = next;
    } else if (code === CLOSE_BRACKET) {
      // XML 1.0 §2.4: the literal `]]>` may not appear in content.
      const closes = closesCData(s, i);
      if (closes === 1) return state.fail('"]]>" not allowed in character data');
      if (closes === -1) {
        state.text += s.slice(start, i);
        return state.incomplete(i, CarryKind.Prefix);
      }
      i++;
    } else if (code === CR) {
      start = i = lineBreak(state, i);
    } else {
      return state.badCharacter(i);
    }
  }
}

/**
 * Reads the content of a CDATA section from `pos`: up to and past its `]]>` (clearing
 * `isInCData`) or to the end of input.
 */
export function scanCData(state: ScanState, pos: number): number {
  const s = state.s;
  const end = s.length;
  let start = pos;
  let i = pos;
  for (;;) {
    i = skipPlain(state, i, CDATA_PLAIN);
    state.text += s.slice(start, i);
    if (i >= end) return end;
    const code = s.charCodeAt(i);
    if (code === CLOSE_BRACKET) {
      const closes = closesCData(s, i);
      if (closes === 1) {
        state.isInCData = false;
        return i + 3;
      }
      if (closes === -1) return state.incomplete(i, CarryKind.Prefix);
      start = i;
      i++;
    } else if (code === CR) {
      start = i = lineBreak(state, i);
    } else {
      return state.badCharacter(i);
    }
  }
}
