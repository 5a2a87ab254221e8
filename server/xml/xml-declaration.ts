/**
 * The XML declaration (XML 1.0 §2.8 production XMLDecl), the one processing-instruction-like
 * construct RFC 6120 §11.1 allows, and only at the very start of a stream. Its encoding must be
 * UTF-8 (RFC 6120 §11.6).
 */
import { StreamError } from '../errors/index.js';
import { skipSpaces } from './scan-state.js';

/** XML 1.0 §2.8 VersionNum ::= '1.' [0-9]+ */
const VERSION_NUM = /^1\.[0-9]+$/;
/** XML 1.0 §4.3.3 EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')* */
const ENC_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
/** The pseudo-attributes in the order §2.8 requires them; only `version` is mandatory. */
const PSEUDO_ATTRIBUTES = ['version', 'encoding', 'standalone'] as const;

type PseudoAttribute = (typeof PSEUDO_ATTRIBUTES)[number];

function malformed(text: string): StreamError {
  return new StreamError('not-well-formed', `Malformed XML declaration: ${text}`);
}

/** Whether `value` is allowed for `name`. */
function isValidValue(name: PseudoAttribute, value: string): boolean {
  if (name === 'version') return VERSION_NUM.test(value);
  if (name === 'encoding') return ENC_NAME.test(value);
  return value === 'yes' || value === 'no';
}

/** Reads `S name Eq quoted-value` at `pos`; returns [name, value, next position] or an error text. */
function readPseudoAttribute(body: string, pos: number): [string, string, number] | string {
  let i = skipSpaces(body, pos);
  if (i === pos) return 'whitespace required';
  const nameStart = i;
  while (i < body.length && body.charCodeAt(i) >= 0x61 && body.charCodeAt(i) <= 0x7a) i++;
  const name = body.slice(nameStart, i);
  i = skipSpaces(body, i);
  if (body.charCodeAt(i) !== 0x3d) return 'value required';
  i = skipSpaces(body, i + 1);
  const quote = body.charCodeAt(i);
  if (quote !== 0x22 && quote !== 0x27) return 'value must be quoted';
  const close = body.indexOf(String.fromCharCode(quote), i + 1);
  if (close < 0) return 'unterminated value';
  return [name, body.slice(i + 1, close), close + 1];
}

/**
 * Checks the text between `<?xml` and `?>`. Returns the stream error to report, if any:
 * `not-well-formed` for a malformed declaration, `unsupported-encoding` for an encoding
 * other than UTF-8.
 */
export function checkXmlDeclaration(body: string): StreamError | undefined {
  let pos = 0;
  let expected = 0;
  let encoding: string | undefined;
  while (skipSpaces(body, pos) < body.length) {
    const read = readPseudoAttribute(body, pos);
    if (typeof read === 'string') return malformed(read);
    const [name, value, next] = read;
    const index = PSEUDO_ATTRIBUTES.indexOf(name as PseudoAttribute, expected);
    if (index < 0 || (expected === 0 && index !== 0)) return malformed(`unexpected ${name || 'text'}`);
    const known = PSEUDO_ATTRIBUTES[index] ?? 'version';
    if (!isValidValue(known, value)) return malformed(`bad ${known} value`);
    if (known === 'encoding') encoding = value;
    expected = index + 1;
    pos = next;
  }
  if (expected === 0) return malformed('version missing');
  // RFC 6120 §11.6: UTF-8 is the only encoding.
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
    return new StreamError('unsupported-encoding', `Encoding ${encoding} not supported`);
  }
  return undefined;
}
