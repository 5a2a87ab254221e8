/**
 * Attribute values (XML 1.0 §3.1 production AttValue) with references replaced (§4.4.5) and
 * whitespace normalised as for CDATA attributes (§3.3.3): each tab, line feed and carriage
 * return becomes a space — a CR LF pair, one line break after §2.11, becomes one space — while
 * characters written as references stay as they are.
 */
import { scanReference } from './char-reference.js';
import { INCOMPLETE, skipPlain, type ScanState } from './scan-state.js';
import { ATTRIBUTE_PLAIN } from './xml-chars.js';

const AMPERSAND = 0x26;
const LESS_THAN = 0x3c;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/**
 * Reads the value whose opening quote is at `pos`. Returns the position after the closing quote
 * with the value in `state.value`, `INCOMPLETE` or `FAILED`. The value is a substring of the
 * input unless it needed decoding.
 */
export function scanAttributeValue(state: ScanState, pos: number): number {
  const s = state.s;
  const end = s.length;
  const quote = s.charCodeAt(pos);
  let start = pos + 1;
  let i = start;
  let decoded = '';
  for (;;) {
    i = skipPlain(state, i, ATTRIBUTE_PLAIN);
    if (i >= end) return INCOMPLETE;
    const code = s.charCodeAt(i);
    if (code === quote) {
      state.value = decoded === '' ? s.slice(start, i) : decoded + s.slice(start, i);
      return i + 1;
    }
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      i++; // the other quote is ordinary here
      continue;
    }
    decoded += s.slice(start, i);
    if (code === AMPERSAND) {
      const next = scanReference(state, i);
      if (next < 0) return next;
      decoded += state.value;
      start = i = next;
    } else if (code === TAB || code === LF || code === CR) {
      decoded += ' ';
      i += code === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
      start = i;
    } else if (code === LESS_THAN) {
      // XML 1.0 §3.1 WFC No < in Attribute Values.
      return state.fail('"<" not allowed in an attribute value');
    } else {
      return state.badCharacter(i);
    }
  }
}
