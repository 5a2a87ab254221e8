/**
 * The incremental parser of one XML stream (RFC 6120 §4): bytes in; the stream header, one
 * complete ltx element per top-level child of the root, and the stream close out. Limits and
 * restricted XML (§11.1) are enforced while reading, so no input is buffered past a limit.
 */
import type { Element } from 'ltx';
import { EVENTS, type SaxesTagNS, type XMLDecl } from 'saxes';
import { StreamError } from '../errors/index.js';
import { ByteCounter } from './byte-counter.js';
import { ElementBuilder, type AttributeEvent } from './element-builder.js';
import { checkDeclaredEncoding, restrictedXml, streamErrorFromSaxes } from './saxes-errors.js';
import { createXmlParser, type XmlParser } from './saxes-parser.js';
import type { XmlLimits } from './xml-limits.js';

export type { XmlLimits } from './xml-limits.js';

/** The stream root's start tag. */
export interface StreamOpen {
  /** The name as written, e.g. `stream:stream`. */
  name: string;
  local: string;
  uri: string;
  /** Attributes as written, namespace declarations included. */
  attrs: Record<string, string>;
}

export interface XmlStreamHandlers {
  /** The stream root opened (e.g. `<stream:stream>`). */
  onStreamOpen(open: StreamOpen): void;
  /** One complete top-level child of the root; `uri`/`local` are its resolved namespace and local name. */
  onStanza(element: Element, uri: string, local: string): void;
  /** The root closed (`</stream:stream>`). */
  onStreamClose(): void;
  /** A fatal problem; after this the parser emits nothing more until `reset()`. */
  onError(error: StreamError): void;
}

const STREAM_DECODE = { stream: true } as const;
const NOTHING_PENDING = 0;
const STANZA_PENDING = 1;
const CLOSE_PENDING = 2;
const LESS_THAN = 0x3c;

/** The four characters XML counts as whitespace (XML 1.0 §2.3 production S). */
function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** TextDecoder's refusal of invalid UTF-8 (checked by code: the error may come from another realm). */
function isEncodingError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
}

/** Stands in for the handlers of a parser abandoned by `reset()` while it was still reading. */
function ignoreAbandonedParserError(): void {
  // The input it is still reading belongs to the stream that was reset away.
}

export class XmlStreamParser {
  readonly #handlers: XmlStreamHandlers;
  #limits: XmlLimits;
  readonly #builder: ElementBuilder;
  readonly #bytes = new ByteCounter();
  #parser: XmlParser;
  #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bumped by `reset()`: a changed value tells a running write that its input is obsolete. */
  #epoch = 0;
  /** After an error or the stream close: events are ignored until `reset()`. */
  #halted = false;
  #rootOpen = false;
  /** Byte offset where the counted region began (prolog, stanza, or markup between stanzas); -1 for none. */
  #regionStart = 0;
  /** Stream position from which text between stanzas is still to be checked. */
  #gapPos = 0;
  #openUri = '';
  #openLocal = '';
  /**
   * saxes announces an end tag before checking that its name matches, and reports a mismatch
   * right after, at the same position: a finished stanza or close waits for that to pass.
   */
  #pending = NOTHING_PENDING;
  #pendingAt = 0;
  #pendingStanza: Element | null = null;
  #pendingUri = '';
  #pendingLocal = '';

  constructor(handlers: XmlStreamHandlers, limits: XmlLimits) {
    this.#handlers = handlers;
    this.#limits = { ...limits };
    this.#builder = new ElementBuilder(limits);
    this.#parser = this.#attach(createXmlParser());
  }

  /** Feeds input; Buffer chunks may split multibyte UTF-8 characters anywhere. */
  write(chunk: Buffer | string): void {
    if (this.#halted) return;
    const text = typeof chunk === 'string' ? chunk : this.#decode(chunk);
    if (text === undefined) return;
    // Slices no longer than the limit: a limit is detected after at most twice its size of input.
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + this.#limits.maxStanzaBytes + 1);
      const lastCode = text.charCodeAt(end - 1);
      if (end < text.length && end - start > 1 && lastCode >= 0xd800 && lastCode <= 0xdbff) end--;
      if (!this.#feed(start === 0 && end === text.length ? text : text.slice(start, end))) return;
      start = end;
    }
  }

  /** Changes limits, e.g. the stanza size limit rises after authentication. */
  setLimits(limits: Partial<XmlLimits>): void {
    const current = this.#limits;
    this.#limits = {
      maxStanzaBytes: limits.maxStanzaBytes ?? current.maxStanzaBytes,
      maxDepth: limits.maxDepth ?? current.maxDepth,
      maxAttributes: limits.maxAttributes ?? current.maxAttributes,
    };
    this.#builder.setLimits(this.#limits);
  }

  /**
   * A new stream begins on the same connection (RFC 6120 §5.4.3.3 after TLS, §6.4.6 after SASL).
   * Input not yet parsed when this is called from a handler is discarded: the peer must wait
   * for `<proceed/>` or `<success/>`, and bytes sent before TLS must never reach the new stream.
   */
  reset(): void {
    this.#epoch++;
    this.#detach(this.#parser);
    this.#parser = this.#attach(createXmlParser());
    this.#decoder = new TextDecoder('utf-8', { fatal: true });
    this.#bytes.reset();
    this.#builder.reset();
    this.#halted = false;
    this.#rootOpen = false;
    this.#regionStart = 0;
    this.#gapPos = 0;
    this.#pending = NOTHING_PENDING;
    this.#pendingStanza = null;
  }

  #decode(chunk: Buffer): string | undefined {
    try {
      return this.#decoder.decode(chunk, STREAM_DECODE);
    } catch (error) {
      if (!isEncodingError(error)) throw error;
      // RFC 6120 §11.6: UTF-8 is the only encoding.
      this.#fail(new StreamError('unsupported-encoding', 'Input is not valid UTF-8'));
      return undefined;
    }
  }

  /** Parses one slice; false when parsing must stop (error, close or reset). */
  #feed(slice: string): boolean {
    const epoch = this.#epoch;
    this.#bytes.beginSlice(slice);
    try {
      this.#parser.write(slice);
    } catch (error) {
      // A handler threw: the parser is mid-event and cannot go on.
      this.#halted = true;
      throw error;
    }
    if (epoch !== this.#epoch) return false;
    if (this.#pending !== NOTHING_PENDING && !this.#flush()) return false;
    if (this.#halted) return false;
    this.#checkRegion(this.#bytes.sliceEnd);
    return epoch === this.#epoch && !this.#halted;
  }

  /** At the end of a slice: text between stanzas is checked, an open region is measured. */
  #checkRegion(end: number): void {
    if (this.#regionStart < 0 && !this.#scanGap(end)) return;
    if (this.#regionStart < 0) return;
    if (this.#bytes.bytesAt(end) - this.#regionStart > this.#limits.maxStanzaBytes) {
      this.#fail(new StreamError('policy-violation', this.#rootOpen ? 'Stanza too large' : 'Stream header too large'));
    }
  }

  /**
   * Checks raw input between stanzas up to `until`: whitespace (keepalives, RFC 6120 §4.6.1) is
   * ignored and never buffered; a `<` opens a counted region; other text is `bad-format`.
   */
  #scanGap(until: number): boolean {
    const bytes = this.#bytes;
    const slice = bytes.slice;
    const base = bytes.sliceStart;
    const end = until - base;
    for (let i = Math.max(0, this.#gapPos - base); i < end; i++) {
      const code = slice.charCodeAt(i);
      if (isXmlSpace(code)) continue;
      if (code === LESS_THAN) {
        this.#regionStart = bytes.bytesAt(base + i);
        return true;
      }
      this.#fail(new StreamError('bad-format', 'Character data between stanzas'));
      return false;
    }
    this.#gapPos = until;
    return true;
  }

  /** Emits the finished stanza or close; false when a handler reset the parser meanwhile. */
  #flush(): boolean {
    const epoch = this.#epoch;
    const pending = this.#pending;
    this.#pending = NOTHING_PENDING;
    if (pending === STANZA_PENDING && this.#pendingStanza !== null) {
      const stanza = this.#pendingStanza;
      this.#pendingStanza = null;
      this.#handlers.onStanza(stanza, this.#pendingUri, this.#pendingLocal);
    } else if (pending === CLOSE_PENDING) {
      this.#handlers.onStreamClose();
    }
    return epoch === this.#epoch;
  }

  #fail(error: StreamError): void {
    if (this.#pending !== NOTHING_PENDING && !this.#flush()) return;
    if (this.#halted) return;
    this.#report(error);
  }

  #report(error: StreamError): void {
    this.#halted = true;
    this.#handlers.onError(error);
  }

  #attach(parser: XmlParser): XmlParser {
    parser.on('xmldecl', this.#onXmlDecl);
    parser.on('opentagstart', this.#onOpenTagStart);
    parser.on('attribute', this.#onAttribute);
    parser.on('opentag', this.#onOpenTag);
    parser.on('closetag', this.#onCloseTag);
    parser.on('cdata', this.#onCData);
    parser.on('comment', this.#onComment);
    parser.on('processinginstruction', this.#onProcessingInstruction);
    parser.on('doctype', this.#onDoctype);
    parser.on('error', this.#onError);
    return parser;
  }

  #detach(parser: XmlParser): void {
    for (const name of EVENTS) parser.off(name);
    // Without an error handler saxes throws.
    parser.on('error', ignoreAbandonedParserError);
  }

  readonly #onXmlDecl = (decl: XMLDecl): void => {
    const error = checkDeclaredEncoding(decl.encoding);
    if (error !== undefined) this.#fail(error);
  };

  readonly #onOpenTagStart = (): void => {
    if (this.#halted) return;
    const builder = this.#builder;
    if (!this.#rootOpen) {
      builder.beginAttributes();
      return;
    }
    if (builder.depth === 0) {
      if (this.#regionStart < 0 && !this.#scanGap(this.#parser.position)) return;
      // Text is collected inside stanzas only, so whitespace between them is never buffered.
      this.#parser.on('text', this.#onText);
    }
    const error = builder.beginElement();
    if (error !== undefined) this.#fail(error);
  };

  readonly #onAttribute = (attr: AttributeEvent): void => {
    if (this.#halted) return;
    const error = this.#builder.addAttribute(attr);
    if (error !== undefined) this.#fail(error);
  };

  readonly #onOpenTag = (tag: SaxesTagNS): void => {
    if (this.#halted) return;
    if (!this.#rootOpen) {
      this.#openRoot(tag);
      return;
    }
    if (this.#builder.depth === 1) {
      this.#openUri = tag.uri;
      this.#openLocal = tag.local;
    }
    this.#builder.openElement(tag);
  };

  #openRoot(tag: SaxesTagNS): void {
    const position = this.#parser.position;
    if (this.#bytes.bytesAt(position) > this.#limits.maxStanzaBytes) {
      this.#fail(new StreamError('policy-violation', 'Stream header too large'));
      return;
    }
    this.#rootOpen = true;
    this.#regionStart = -1;
    this.#gapPos = position;
    const attrs = this.#builder.takeAttributes();
    this.#handlers.onStreamOpen({ name: tag.name, local: tag.local, uri: tag.uri, attrs });
  }

  readonly #onText = (text: string): void => {
    if (!this.#halted) this.#builder.text(text);
  };

  readonly #onCData = (text: string): void => {
    if (this.#halted) return;
    if (this.#builder.depth === 0) this.#fail(new StreamError('bad-format', 'Character data between stanzas'));
    else this.#builder.text(text);
  };

  readonly #onCloseTag = (tag: SaxesTagNS): void => {
    if (this.#halted) return;
    if (this.#pending !== NOTHING_PENDING && !this.#flush()) return;
    if (this.#builder.depth === 0) {
      this.#closeRoot(tag.isSelfClosing);
      return;
    }
    const stanza = this.#builder.closeElement();
    if (stanza !== undefined) this.#endStanza(stanza, tag.isSelfClosing);
  };

  #endStanza(stanza: Element, isSelfClosing: boolean): void {
    const parser = this.#parser;
    parser.off('text');
    const end = parser.position;
    if (this.#bytes.bytesAt(end) - this.#regionStart > this.#limits.maxStanzaBytes) {
      this.#fail(new StreamError('policy-violation', 'Stanza too large'));
      return;
    }
    this.#regionStart = -1;
    this.#gapPos = end;
    this.#pending = STANZA_PENDING;
    this.#pendingAt = end;
    this.#pendingStanza = stanza;
    this.#pendingUri = this.#openUri;
    this.#pendingLocal = this.#openLocal;
    // A self-closing tag has no end tag that could mismatch.
    if (isSelfClosing) this.#flush();
  }

  #closeRoot(isSelfClosing: boolean): void {
    if (this.#regionStart < 0 && !this.#scanGap(this.#parser.position)) return;
    this.#rootOpen = false;
    this.#halted = true; // RFC 6120 §4.4: nothing after the closing tag is read
    if (isSelfClosing) {
      this.#handlers.onStreamClose();
      return;
    }
    this.#pending = CLOSE_PENDING;
    this.#pendingAt = this.#parser.position;
  }

  readonly #onComment = (): void => {
    if (!this.#halted) this.#fail(restrictedXml('comment'));
  };

  readonly #onProcessingInstruction = (): void => {
    if (!this.#halted) this.#fail(restrictedXml('processing instruction'));
  };

  readonly #onDoctype = (): void => {
    if (!this.#halted) this.#fail(restrictedXml('DTD'));
  };

  readonly #onError = (error: Error): void => {
    if (this.#pending !== NOTHING_PENDING && this.#parser.position === this.#pendingAt) {
      // The end tag just announced did not match its start tag.
      this.#pending = NOTHING_PENDING;
      this.#pendingStanza = null;
      this.#report(streamErrorFromSaxes(error));
      return;
    }
    if (!this.#halted) this.#fail(streamErrorFromSaxes(error));
  };
}
