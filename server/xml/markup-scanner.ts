/**
 * Markup that starts with `<!` or `<?`. XMPP allows only CDATA sections and the XML declaration
 * (RFC 6120 §11.1); comments, processing instructions, DOCTYPE and other markup declarations
 * are `restricted-xml`. A comment is reported once its `--` is read and a processing
 * instruction once its `?>` is, so an unterminated one runs into the size limit like any token.
 */
import { StreamError } from '../errors/index.js';
import { scanName } from './name-scanner.js';
import { FAILED, INCOMPLETE, type ScanState } from './scan-state.js';
import { CarryKind } from './token-carry.js';
import { checkXmlDeclaration } from './xml-declaration.js';
import { isXmlSpace } from './xml-chars.js';

const CDATA_OPEN = '<![CDATA[';
const COMMENT_OPEN = '<!--';
/** XML 1.0 §2.8 doctypedecl and the §3.2–§4.7 declarations that only a DTD may hold. */
const DECLARATIONS = ['<!DOCTYPE', '<!ENTITY', '<!ELEMENT', '<!ATTLIST', '<!NOTATION'] as const;
const KEYWORDS = [CDATA_OPEN, COMMENT_OPEN, ...DECLARATIONS] as const;
const LONGEST_KEYWORD = 10;
const QUESTION = 0x3f;

/** RFC 6120 §11.1: the constructs a stream may not contain. */
function restrictedXml(what: 'comment' | 'processing instruction' | 'DTD'): StreamError {
  return new StreamError('restricted-xml', `XML ${what} not allowed`);
}

/** Whether `s` from `pos` to its end could still become one of the keywords. */
function isKeywordPrefix(s: string, pos: number): boolean {
  if (s.length - pos >= LONGEST_KEYWORD) return false;
  const rest = s.slice(pos);
  return KEYWORDS.some((keyword) => keyword.startsWith(rest));
}

/**
 * Reads markup starting with `<!` at `pos`. Returns the position after `<![CDATA[` (setting
 * `isInCData`), `INCOMPLETE` or `FAILED`.
 */
export function scanDeclaration(state: ScanState, pos: number): number {
  const s = state.s;
  if (s.startsWith(COMMENT_OPEN, pos)) {
    // XML 1.0 §2.5: `--` ends a comment (and may appear nowhere else in it).
    if (s.indexOf('--', pos + COMMENT_OPEN.length) < 0) return state.incomplete(pos, CarryKind.Comment);
    return state.failWith(restrictedXml('comment'));
  }
  if (s.startsWith(CDATA_OPEN, pos)) {
    state.isInCData = true;
    return pos + CDATA_OPEN.length;
  }
  for (const keyword of DECLARATIONS) {
    if (s.startsWith(keyword, pos)) return state.failWith(restrictedXml('DTD'));
  }
  if (isKeywordPrefix(s, pos)) return state.incomplete(pos, CarryKind.Prefix);
  return state.fail('Malformed markup after "<!"');
}

/**
 * Reads markup starting with `<?` at `pos`: the XML declaration when `isDeclarationAllowed`
 * (XML 1.0 §2.8: only at the very start), returning the position after it; any other
 * processing instruction (§2.6) fails.
 */
export function scanInstruction(state: ScanState, pos: number, isDeclarationAllowed: boolean): number {
  const s = state.s;
  const targetEnd = scanName(state, pos + 2);
  if (targetEnd === INCOMPLETE) return state.incomplete(pos, CarryKind.Instruction);
  if (targetEnd === FAILED) return state.fail('Processing instruction without a target');
  const after = s.charCodeAt(targetEnd);
  if (!isXmlSpace(after) && after !== QUESTION) return state.fail('Malformed processing instruction target');
  const target = s.slice(pos + 2, targetEnd);
  // XML 1.0 §2.6: targets matching [Xx][Mm][Ll] are reserved; `xml` itself is the declaration.
  const isXml = target.toLowerCase() === 'xml';
  if (isXml && (target !== 'xml' || !isDeclarationAllowed)) {
    return state.fail('An XML declaration may only begin the document');
  }
  const close = s.indexOf('?>', targetEnd);
  if (close < 0) return state.incomplete(pos, CarryKind.Instruction);
  if (!isXml) return state.failWith(restrictedXml('processing instruction'));
  const error = checkXmlDeclaration(s.slice(targetEnd, close));
  return error === undefined ? close + 2 : state.failWith(error);
}
