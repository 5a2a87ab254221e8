/**
 * The state shared by the scanning functions of the tokenizer: the string being read and what
 * the last scan found. Scanners return the position after what they read, or one of the two
 * negative outcomes below.
 */
import { StreamError } from '../errors/index.js';
import { CarryKind } from './token-carry.js';
import { utf8Extra } from './xml-chars.js';

/** The input ended inside the token: it must be read again once more input arrived. */
export const INCOMPLETE = -1;
/** The token is not well-formed: `ScanState.error` says why. */
export const FAILED = -2;

/** One per tokenizer; scanners write their results here rather than allocating. */
export class ScanState {
  /** The decoded input being read. */
  s = '';
  /**
   * UTF-8 bytes beyond one per code unit of what has been read of `s` (XML 1.0 §4.3.3: the input
   * is UTF-8, and RFC 6120 §13.12 limits are in bytes). Only non-ASCII characters add to it.
   */
  extra = 0;
  /** The decoded value of the last attribute value or reference scanned. */
  value = '';
  /** Offset of the first colon in the last name scanned, or -1. */
  colon = -1;
  /** Non-ASCII bytes beyond one per code unit in the last name scanned. */
  nameExtra = 0;
  error: StreamError | undefined = undefined;
  /** Decoded character data read but not yet handed on. */
  text = '';
  /** A CR ended the last input: a LF starting the next one belongs to it (XML 1.0 §2.11). */
  pendingLineFeed = false;
  /** Inside a CDATA section (XML 1.0 §2.7). */
  isInCData = false;
  /** After `INCOMPLETE`: where the unfinished token starts, and what it is. */
  carryAt = 0;
  carryKind: CarryKind = CarryKind.Prefix;

  /** Records where an unfinished token starts and returns `INCOMPLETE`. */
  incomplete(at: number, kind: CarryKind): number {
    this.carryAt = at;
    this.carryKind = kind;
    return INCOMPLETE;
  }

  /** Records a well-formedness error (RFC 6120 §4.9.3.13) and returns `FAILED`. */
  fail(text: string): number {
    this.error = new StreamError('not-well-formed', text);
    return FAILED;
  }

  /** Records an error of another condition and returns `FAILED`. */
  failWith(error: StreamError): number {
    this.error = error;
    return FAILED;
  }

  /**
   * The character at `pos` is outside the Char production (XML 1.0 §2.2), or is the high half of
   * a surrogate pair whose low half has not arrived yet.
   */
  badCharacter(pos: number): number {
    const code = this.s.charCodeAt(pos);
    if (code >= 0xd800 && code <= 0xdbff && pos + 1 === this.s.length) return this.incomplete(pos, CarryKind.Prefix);
    return this.fail(`Character U+${code.toString(16).toUpperCase().padStart(4, '0')} not allowed`);
  }
}

/**
 * Skips ordinary characters from `pos` and returns the position of the first one `plain` does not
 * list as ordinary (or the end). Non-ASCII characters are ordinary when they are XML 1.0 Chars:
 * valid surrogate pairs pass, lone surrogates and U+FFFE/U+FFFF stop the scan. Counts UTF-8 bytes.
 */
export function skipPlain(state: ScanState, pos: number, plain: Uint8Array): number {
  const s = state.s;
  const end = s.length;
  let extra = state.extra;
  let i = pos;
  for (; i < end; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      if (plain[code] === 1) continue;
      break;
    }
    if (code < 0xd800 || (code >= 0xe000 && code < 0xfffe)) {
      extra += utf8Extra(code);
      continue;
    }
    if (code > 0xdbff) break;
    const low = s.charCodeAt(i + 1);
    if (!(low >= 0xdc00 && low <= 0xdfff)) break;
    extra += 2;
    i++;
  }
  state.extra = extra;
  return i;
}

/** Skips XML whitespace (production S) from `pos`. */
export function skipSpaces(s: string, pos: number): number {
  let i = pos;
  for (let code = s.charCodeAt(i); code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d; code = s.charCodeAt(++i));
  return i;
}
