/**
 * The part of a token that a chunk of input ended inside of. Rather than re-reading it on every
 * chunk (quadratic when a peer sends a large tag a byte at a time), each new chunk is only
 * scanned for the point from which the token's outcome is certain — its end, or a character
 * that makes it malformed — and the token is read again once, when that point has arrived.
 */
import { isNameCodePoint, NAME_CHAR, utf8Extra } from './xml-chars.js';

/** What kind of token is carried; each kind has its own completion test. */
export const CarryKind = {
  /** A short prefix (`<`, `<!-`, `]]`, half a surrogate pair, …): any more input decides it. */
  Prefix: 0,
  /** A start tag: decided by `>` outside quoted values, or by what cannot be in a tag. */
  StartTag: 1,
  /** An end tag: decided by `>` (or `<`). */
  EndTag: 2,
  /** A reference: decided by the first character that is not part of a name (`;` included). */
  Reference: 3,
  /** A comment: decided by `--` (XML 1.0 §2.5). */
  Comment: 4,
  /** A processing instruction or XML declaration: decided by `?>` (XML 1.0 §2.6). */
  Instruction: 5,
} as const;

export type CarryKind = (typeof CarryKind)[keyof typeof CarryKind];

/** Where scanning of each kind starts within the carried text: after `<`, `</`, `&`, `<!--`, `<?`. */
const CONTENT_OFFSET = [0, 1, 2, 1, 4, 2] as const;

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const EQUALS = 0x3d;
const HASH = 0x23;
const MINUS = 0x2d;
const QUESTION = 0x3f;

function isTagSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function isReferenceChar(code: number): boolean {
  return code < 0x80 ? NAME_CHAR[code] === 1 || code === HASH : code >= 0xd800 || isNameCodePoint(code);
}

/** The pending token of one tokenizer. */
export class TokenCarry {
  readonly #parts: string[] = [];
  #kind: CarryKind = CarryKind.Prefix;
  #bytes = 0;
  #isDecided = false;
  /** Start tags: the open quote inside a value, or 0. */
  #quote = 0;
  /** Start tags: the last character outside whitespace was `=`. */
  #afterEquals = false;
  /** Comments and instructions: the previous character. */
  #previous = 0;

  get isActive(): boolean {
    return this.#parts.length > 0;
  }

  /** UTF-8 bytes of the carried text. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Starts carrying `text`, the beginning of a token of `kind`. */
  begin(text: string, kind: CarryKind): void {
    this.#parts.length = 0;
    this.#parts.push(text);
    this.#kind = kind;
    this.#bytes = 0;
    this.#quote = 0;
    this.#afterEquals = false;
    this.#previous = 0;
    this.#countBytes(text);
    this.#isDecided = kind === CarryKind.Prefix || this.#scan(text, CONTENT_OFFSET[kind]);
  }

  /** Adds the next chunk; true when the token can now be read to its outcome. */
  feed(chunk: string): boolean {
    if (chunk.length === 0) return this.#isDecided;
    this.#parts.push(chunk);
    if (this.#isDecided) return true;
    this.#isDecided = this.#scan(chunk, 0);
    if (!this.#isDecided) this.#countBytes(chunk);
    return this.#isDecided;
  }

  #scan(chunk: string, from: number): boolean {
    for (let i = from; i < chunk.length; i++) {
      if (this.#decides(chunk.charCodeAt(i))) return true;
    }
    return false;
  }

  /** The carried text with all chunks fed so far; the carry is empty afterwards. */
  take(): string {
    const text = this.#parts.length === 1 ? (this.#parts[0] ?? '') : this.#parts.join('');
    this.#parts.length = 0;
    this.#bytes = 0;
    return text;
  }

  clear(): void {
    this.#parts.length = 0;
    this.#bytes = 0;
  }

  #countBytes(chunk: string): void {
    let bytes = chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code >= 0x80) bytes += utf8Extra(code);
    }
    this.#bytes += bytes;
  }

  #decides(code: number): boolean {
    switch (this.#kind) {
      case CarryKind.StartTag:
        return this.#decidesStartTag(code);
      case CarryKind.EndTag:
        return code === GREATER_THAN || code === LESS_THAN;
      case CarryKind.Reference:
        return !isReferenceChar(code);
      case CarryKind.Comment:
        return this.#follows(MINUS, code, MINUS);
      default:
        return this.#follows(QUESTION, code, GREATER_THAN);
    }
  }

  #follows(first: number, code: number, second: number): boolean {
    const previous = this.#previous;
    this.#previous = code;
    return previous === first && code === second;
  }

  /** XML 1.0 §3.1: a tag ends at `>` outside quotes; a quote may only open a value after `=`. */
  #decidesStartTag(code: number): boolean {
    if (this.#quote !== 0) {
      if (code === this.#quote) this.#quote = 0;
      return code === LESS_THAN;
    }
    if (code === GREATER_THAN || code === LESS_THAN) return true;
    if (code === 0x22 || code === 0x27) {
      if (!this.#afterEquals) return true;
      this.#quote = code;
      this.#afterEquals = false;
      return false;
    }
    if (code === EQUALS) {
      if (this.#afterEquals) return true;
      this.#afterEquals = true;
    } else if (!isTagSpace(code) && this.#afterEquals) {
      return true;
    }
    return false;
  }
}
