/**
 * Start tags and empty-element tags (XML 1.0 §3.1):
 *   STag ::= '<' Name (S Attribute)* S? '>'      EmptyElemTag ::= '<' Name (S Attribute)* S? '/>'
 *   Attribute ::= Name Eq AttValue                Eq ::= S? '=' S?
 */
import { scanAttributeValue } from './attribute-value.js';
import { nameAt } from './name-cache.js';
import { scanQName } from './name-scanner.js';
import { INCOMPLETE, skipSpaces, type ScanState } from './scan-state.js';
import type { StartTag } from './start-tag.js';
import { isXmlSpace } from './xml-chars.js';

const SLASH = 0x2f;
const EQUALS = 0x3d;
const GREATER_THAN = 0x3e;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** Reads `Name Eq AttValue` at `pos` into `tag`. */
function scanAttribute(state: ScanState, pos: number, tag: StartTag): number {
  const s = state.s;
  const nameEnd = scanQName(state, pos);
  if (nameEnd < 0) return nameEnd;
  const colon = state.colon;
  let i = skipSpaces(s, nameEnd);
  if (i >= s.length) return INCOMPLETE;
  if (s.charCodeAt(i) !== EQUALS) return state.fail('Attribute without value');
  i = skipSpaces(s, i + 1);
  if (i >= s.length) return INCOMPLETE;
  const quote = s.charCodeAt(i);
  if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return state.fail('Attribute value not quoted');
  const end = scanAttributeValue(state, i);
  if (end < 0) return end;
  tag.addAttribute(nameAt(s, pos, nameEnd), colon, state.value);
  return end;
}

/**
 * Reads the tag whose `<` is at `pos` (a name start character follows it) into `tag`. Returns
 * the position after its `>`, `INCOMPLETE` or `FAILED`.
 */
export function scanStartTag(state: ScanState, pos: number, tag: StartTag): number {
  const s = state.s;
  const end = s.length;
  let i = scanQName(state, pos + 1);
  if (i < 0) return i;
  tag.begin(nameAt(s, pos + 1, i), state.colon, state.nameExtra);
  for (;;) {
    if (i >= end) return INCOMPLETE;
    const code = s.charCodeAt(i);
    if (code === GREATER_THAN) {
      tag.isEmpty = false;
      return i + 1;
    }
    if (code === SLASH) {
      if (i + 1 >= end) return INCOMPLETE;
      if (s.charCodeAt(i + 1) !== GREATER_THAN) return state.fail('"/" in a tag not followed by ">"');
      tag.isEmpty = true;
      return i + 2;
    }
    // Attributes are separated from the name and from each other by whitespace.
    if (!isXmlSpace(code)) return state.fail('Whitespace required before an attribute');
    i = skipSpaces(s, i + 1);
    if (i >= end) return INCOMPLETE;
    const next = s.charCodeAt(i);
    if (next !== GREATER_THAN && next !== SLASH) {
      i = scanAttribute(state, i, tag);
      if (i < 0) return i;
    }
  }
}
