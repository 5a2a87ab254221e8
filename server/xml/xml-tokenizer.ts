/**
 * A strict, incremental reader of the XML subset XMPP uses (RFC 6120 §11): elements with
 * namespaces, character data with the predefined entities and character references, CDATA
 * sections and an XML declaration at the start; nothing from a DTD, no comments or processing
 * instructions. It scans the decoded input with `charCodeAt`, takes names, values and text as
 * substrings, checks well-formedness as it goes, and counts UTF-8 bytes of what it consumed.
 * A token cut off by the end of a chunk is carried over (see `TokenCarry`).
 */
import { StreamError } from '../errors/index.js';
import { scanCData, scanText } from './char-data.js';
import { scanDeclaration, scanInstruction } from './markup-scanner.js';
import { NamespaceScope } from './namespace-scope.js';
import { FAILED, INCOMPLETE, ScanState, skipSpaces } from './scan-state.js';
import { scanStartTag } from './start-tag-scanner.js';
import { StartTag } from './start-tag.js';
import { CarryKind, TokenCarry } from './token-carry.js';

export { StartTag } from './start-tag.js';

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const LF = 0x0a;
const BYTE_ORDER_MARK = 0xfeff;

/** What the tokenizer reports, in document order, synchronously from `write()`. */
export interface TokenSink {
  /** A start tag or empty-element tag, namespaces resolved; returning false stops reading. */
  startTag(tag: StartTag): boolean;
  /** The element at `depth` ended (after `startTag` for an empty-element tag); `endBytes` is after its `>`. */
  endTag(depth: number, endBytes: number): boolean;
  /** Decoded character data inside an element, possibly in several pieces. */
  text(text: string): void;
  /** The input is not acceptable; nothing more is reported. */
  error(error: StreamError): void;
}

/**
 * One document: an XMPP stream (`isStream`: the root's children are stanzas and only whitespace
 * may stand between them, RFC 6120 §4.9.3.1 `bad-format` otherwise) or a single element.
 */
export class XmlTokenizer {
  readonly #sink: TokenSink;
  readonly #isStream: boolean;
  readonly #state = new ScanState();
  readonly #tag = new StartTag();
  readonly #scope = new NamespaceScope();
  readonly #carry = new TokenCarry();
  #isHalted = false;
  /** Nothing but a byte order mark read yet: an XML declaration may come (XML 1.0 §2.8). */
  #isAtStart = true;
  #hasRoot = false;
  /** UTF-8 bytes of the input before the string being read. */
  #baseBytes = 0;

  constructor(sink: TokenSink, isStream: boolean) {
    this.#sink = sink;
    this.#isStream = isStream;
  }

  /** After an error, the end of the document or `halt()`: nothing more is read. */
  get isHalted(): boolean {
    return this.#isHalted;
  }

  /** Open elements, the root included. */
  get depth(): number {
    return this.#scope.depth;
  }

  /** UTF-8 bytes of the input read so far, up to the start of a token carried over. */
  get bytesRead(): number {
    return this.#baseBytes;
  }

  /** UTF-8 bytes of a token cut off by the end of the input so far, 0 if none. */
  get bytesPending(): number {
    return this.#carry.isActive ? this.#carry.bytes : 0;
  }

  /** Reads the next part of the document. */
  write(chunk: string): void {
    if (this.#isHalted || chunk.length === 0) return;
    let input = chunk;
    if (this.#carry.isActive) {
      if (!this.#carry.feed(chunk)) return;
      input = this.#carry.take();
    }
    this.#run(input);
  }

  /** The document ended: anything unfinished is `not-well-formed`. */
  end(): void {
    if (this.#isHalted) return;
    if (this.#carry.isActive || this.#scope.depth > 0) this.#fail(new StreamError('not-well-formed', 'Unexpected end of input'));
    else if (!this.#hasRoot) this.#fail(new StreamError('not-well-formed', 'No element'));
  }

  /** Stops reading for good, also from inside a sink callback. */
  halt(): void {
    this.#isHalted = true;
  }

  /** Back to the start of a new document. Not to be called from a sink callback. */
  reset(): void {
    const state = this.#state;
    state.text = '';
    state.pendingLineFeed = false;
    state.isInCData = false;
    this.#scope.reset();
    this.#carry.clear();
    this.#isHalted = false;
    this.#isAtStart = true;
    this.#hasRoot = false;
    this.#baseBytes = 0;
  }

  #run(s: string): void {
    const state = this.#state;
    state.s = s;
    state.extra = 0;
    let pos = 0;
    if (state.pendingLineFeed) {
      state.pendingLineFeed = false;
      if (s.charCodeAt(0) === LF) pos = 1;
    } else if (this.#isAtStart && this.#baseBytes === 0 && s.charCodeAt(0) === BYTE_ORDER_MARK) {
      pos = 1; // XML 1.0 §4.3.3: a byte order mark may precede the document
      state.extra = 2;
    }
    const end = s.length;
    while (pos < end && !this.#isHalted) {
      if (state.isInCData) pos = this.#charData(pos);
      else pos = s.charCodeAt(pos) === LESS_THAN ? this.#markup(pos) : this.#charData(pos);
    }
    if (this.#isHalted) return;
    this.#flushText();
    const consumed = this.#carry.isActive ? state.carryAt : end;
    this.#baseBytes += consumed + state.extra;
  }

  #flushText(): void {
    const state = this.#state;
    if (state.text === '') return;
    const text = state.text;
    state.text = '';
    this.#sink.text(text);
  }

  /** Whether character data here may only be whitespace: outside the root, or between stanzas. */
  #isBetweenElements(): boolean {
    const depth = this.#scope.depth;
    return depth === 0 || (this.#isStream && depth === 1);
  }

  #charData(pos: number): number {
    const state = this.#state;
    const s = state.s;
    if (!state.isInCData && this.#isBetweenElements()) {
      const next = skipSpaces(s, pos);
      if (next < s.length && s.charCodeAt(next) !== LESS_THAN) return this.#failBetweenElements();
      if (next > pos) this.#isAtStart = false;
      return next;
    }
    const next = state.isInCData ? scanCData(state, pos) : scanText(state, pos);
    if (next >= 0) return next;
    return next === INCOMPLETE ? this.#suspend(state.carryAt, state.carryKind) : this.#failState();
  }

  #failBetweenElements(): number {
    if (this.#scope.depth === 0) return this.#fail(new StreamError('not-well-formed', 'Text outside the root element'));
    // RFC 6120 §4.9.3.1: only whitespace may stand between stanzas.
    return this.#fail(new StreamError('bad-format', 'Character data between stanzas'));
  }

  #markup(pos: number): number {
    this.#flushText();
    const state = this.#state;
    const s = state.s;
    if (pos + 1 >= s.length) return this.#suspend(pos, CarryKind.Prefix);
    const extraBefore = state.extra;
    const next = s.charCodeAt(pos + 1);
    let end: number;
    if (next === SLASH) end = this.#endTag(pos);
    else if (next === BANG) end = this.#declaration(pos);
    else if (next === QUESTION) end = scanInstruction(state, pos, this.#isAtStart);
    else end = this.#startTag(pos, extraBefore);
    if (end === INCOMPLETE) {
      state.extra = extraBefore; // read again in full once the rest has arrived
      return this.#suspend(state.carryAt, state.carryKind);
    }
    if (end === FAILED) return this.#failState();
    this.#isAtStart = false;
    return end;
  }

  #startTag(pos: number, extraBefore: number): number {
    const state = this.#state;
    const tag = this.#tag;
    const end = scanStartTag(state, pos, tag);
    if (end === INCOMPLETE) return state.incomplete(pos, CarryKind.StartTag);
    if (end < 0) return end;
    const depth = this.#scope.depth;
    // XML 1.0 §2.1: a document has exactly one root element.
    if (depth === 0 && this.#hasRoot) return state.fail('Only one root element allowed');
    const error = this.#scope.open(tag);
    if (error !== undefined) return state.failWith(error);
    this.#hasRoot = true;
    tag.startBytes = this.#baseBytes + pos + extraBefore;
    tag.endBytes = this.#baseBytes + end + state.extra;
    if (!this.#sink.startTag(tag) || this.#isHalted) return this.#stop();
    if (!tag.isEmpty) return end;
    this.#scope.close();
    return this.#sink.endTag(depth, tag.endBytes) && !this.#isHalted ? end : this.#stop();
  }

  /** XML 1.0 §3 WFC Element Type Match: the end tag names the innermost open element. */
  #endTag(pos: number): number {
    const state = this.#state;
    const s = state.s;
    const scope = this.#scope;
    const depth = scope.depth;
    if (depth === 0) return state.fail('End tag outside the root element');
    const name = scope.innermostName;
    const nameEnd = pos + 2 + name.length;
    if (nameEnd > s.length) {
      return name.startsWith(s.slice(pos + 2)) ? state.incomplete(pos, CarryKind.EndTag) : state.fail(`Expected </${name}>`);
    }
    if (!s.startsWith(name, pos + 2)) return state.fail(`Expected </${name}>`);
    const close = skipSpaces(s, nameEnd);
    if (close >= s.length) return state.incomplete(pos, CarryKind.EndTag);
    if (s.charCodeAt(close) !== GREATER_THAN) return state.fail(`Expected </${name}>`);
    state.extra += scope.innermostNameExtra;
    scope.close();
    const endBytes = this.#baseBytes + close + 1 + state.extra;
    return this.#sink.endTag(depth - 1, endBytes) && !this.#isHalted ? close + 1 : this.#stop();
  }

  #declaration(pos: number): number {
    const state = this.#state;
    const end = scanDeclaration(state, pos);
    if (end >= 0 && this.#isBetweenElements()) {
      state.isInCData = false; // a CDATA section is character data, which may not stand here
      return this.#failBetweenElements();
    }
    return end;
  }

  /** Keeps the rest of the input from `at` for when more arrives. */
  #suspend(at: number, kind: CarryKind): number {
    const state = this.#state;
    state.carryAt = at;
    this.#carry.begin(state.s.slice(at), kind);
    return state.s.length;
  }

  #failState(): number {
    return this.#fail(this.#state.error ?? new StreamError('not-well-formed'));
  }

  #fail(error: StreamError): number {
    this.#isHalted = true;
    this.#sink.error(error);
    return this.#state.s.length;
  }

  #stop(): number {
    this.#isHalted = true;
    return this.#state.s.length;
  }
}
