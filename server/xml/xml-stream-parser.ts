/**
 * The incremental parser of one XML stream (RFC 6120 §4): bytes in; the stream header, one
 * complete ltx element per top-level child of the root, and the stream close out. Limits and
 * restricted XML (§11.1) are enforced while reading, so no input is buffered past a limit.
 */
import type { Element } from 'ltx';
import type { SaxesTagNS, XMLDecl } from 'saxes';
import { StreamError } from '../errors/index.js';
import { ElementBuilder, type AttributeEvent } from './element-builder.js';
import { betweenStanzasError, InputMeter } from './input-meter.js';
import { checkDeclaredEncoding, restrictedXml, streamErrorFromSaxes } from './saxes-errors.js';
import { createXmlParser, detachXmlParser, type XmlEventHandlers, type XmlParser } from './saxes-parser.js';
import type { XmlLimits } from './xml-limits.js';
import type { XmlStreamHandlers } from './xml-stream-handlers.js';

export type { XmlLimits } from './xml-limits.js';
export type { StreamOpen, XmlStreamHandlers } from './xml-stream-handlers.js';

const STREAM_DECODE = { stream: true } as const;
const NOTHING_PENDING = 0;
const STANZA_PENDING = 1;
const CLOSE_PENDING = 2;

/** TextDecoder's refusal of invalid UTF-8 (checked by code: the error may come from another realm). */
function isEncodingError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
}

/**
 * One per connection. Not re-entrant: handlers may call `reset()` and `setLimits()`, not `write()`.
 */
export class XmlStreamParser {
  readonly #handlers: XmlStreamHandlers;
  #limits: XmlLimits;
  readonly #builder: ElementBuilder;
  readonly #meter = new InputMeter();
  #parser: XmlParser;
  #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bumped by `reset()`: a changed value tells a running write that its input is obsolete. */
  #epoch = 0;
  /** After an error or the stream close: events are ignored until `reset()`. */
  #halted = false;
  #rootOpen = false;
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
    this.#parser = createXmlParser(this.#events);
  }

  /** Feeds input; Buffer chunks may split multibyte UTF-8 characters anywhere. */
  write(chunk: Buffer | string): void {
    if (this.#halted) return;
    try {
      const text = typeof chunk === 'string' ? chunk : this.#decode(chunk);
      if (text !== undefined) this.#feedSlices(text);
    } catch (error) {
      // A handler threw (a bug above): the parser may be mid-event and cannot go on.
      this.#halted = true;
      throw error;
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
    detachXmlParser(this.#parser);
    this.#parser = createXmlParser(this.#events);
    this.#decoder = new TextDecoder('utf-8', { fatal: true });
    this.#meter.reset();
    this.#builder.reset();
    this.#halted = false;
    this.#rootOpen = false;
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

  /** Slices no longer than the limit: a limit is detected after at most twice its size of input. */
  #feedSlices(text: string): void {
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + this.#limits.maxStanzaBytes + 1);
      const lastCode = text.charCodeAt(end - 1);
      if (end < text.length && end - start > 1 && lastCode >= 0xd800 && lastCode <= 0xdbff) end--;
      if (!this.#feed(start === 0 && end === text.length ? text : text.slice(start, end))) return;
      start = end;
    }
  }

  /** Parses one slice; false when parsing must stop (error, close or reset). */
  #feed(slice: string): boolean {
    const epoch = this.#epoch;
    this.#meter.beginSlice(slice);
    this.#parser.write(slice);
    if (epoch !== this.#epoch) return false;
    if (this.#pending !== NOTHING_PENDING && !this.#flush()) return false;
    if (this.#halted) return false;
    const error = this.#meter.endSlice(this.#limits.maxStanzaBytes);
    if (error !== undefined) this.#fail(error);
    return epoch === this.#epoch && !this.#halted;
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

  readonly #onXmlDecl = (decl: XMLDecl): void => {
    const error = checkDeclaredEncoding(decl.encoding);
    if (error !== undefined) this.#fail(error);
  };

  readonly #onOpenTagStart = (): void => {
    if (this.#halted) return;
    // Emitted here, outside saxes' end-tag loop: a reset by the handler then silences this parser.
    if (this.#pending !== NOTHING_PENDING && !this.#flush()) return;
    const builder = this.#builder;
    if (!this.#rootOpen) {
      builder.beginAttributes();
      return;
    }
    if (builder.depth === 0) {
      const gapError = this.#meter.beginStanza(this.#parser.position);
      if (gapError !== undefined) {
        this.#fail(gapError);
        return;
      }
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
    const error = this.#meter.openRoot(this.#parser.position, this.#limits.maxStanzaBytes);
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    this.#rootOpen = true;
    const attrs = this.#builder.takeAttributes();
    this.#handlers.onStreamOpen({ name: tag.name, local: tag.local, uri: tag.uri, attrs });
  }

  readonly #onText = (text: string): void => {
    if (!this.#halted) this.#builder.text(text);
  };

  readonly #onCData = (text: string): void => {
    if (this.#halted) return;
    if (this.#builder.depth === 0) this.#fail(betweenStanzasError());
    else this.#builder.text(text);
  };

  readonly #onCloseTag = (tag: SaxesTagNS): void => {
    if (this.#halted) return;
    // Only the root's end tag can follow a pending stanza here, and saxes pops nothing after it.
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
    const error = this.#meter.endStanza(end, this.#limits.maxStanzaBytes);
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    this.#pending = STANZA_PENDING;
    this.#pendingAt = end;
    this.#pendingStanza = stanza;
    this.#pendingUri = this.#openUri;
    this.#pendingLocal = this.#openLocal;
    // A self-closing tag has no end tag that could mismatch.
    if (isSelfClosing) this.#flush();
  }

  #closeRoot(isSelfClosing: boolean): void {
    const error = this.#meter.closeRoot(this.#parser.position);
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
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

  /** Bound once; text starts switched off (whitespace before the first stanza is not kept). */
  readonly #events: XmlEventHandlers = {
    xmldecl: this.#onXmlDecl,
    opentagstart: this.#onOpenTagStart,
    attribute: this.#onAttribute,
    opentag: this.#onOpenTag,
    cdata: this.#onCData,
    closetag: this.#onCloseTag,
    comment: this.#onComment,
    processinginstruction: this.#onProcessingInstruction,
    doctype: this.#onDoctype,
    error: this.#onError,
  };
}
