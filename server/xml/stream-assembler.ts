/**
 * Turns the tokens of an XMPP stream into what the stream above wants (RFC 6120 §4): the root's
 * start tag, one complete element per top-level child of the root (in canonical form, see
 * `element-builder.ts`), and the root's end tag.
 * Enforces the stanza size limit (in bytes), the depth and the attribute limits on the way.
 */
import type { Element } from 'ltx';
import type { StreamError } from '../errors/index.js';
import { checkAttributeCount, ElementBuilder } from './element-builder.js';
import { InputMeter } from './input-meter.js';
import type { StartTag, TokenSink } from './xml-tokenizer.js';
import type { XmlLimits } from './xml-limits.js';
import type { XmlStreamHandlers } from './xml-stream-handlers.js';

/** The tokenizer's sink for one stream; `reset()` prepares it for the next. */
export class StreamAssembler implements TokenSink {
  readonly #handlers: XmlStreamHandlers;
  #limits: XmlLimits;
  readonly #builder: ElementBuilder;
  readonly #meter = new InputMeter();

  constructor(handlers: XmlStreamHandlers, limits: XmlLimits) {
    this.#handlers = handlers;
    this.#limits = limits;
    this.#builder = new ElementBuilder(limits);
  }

  setLimits(limits: XmlLimits): void {
    this.#limits = limits;
    this.#builder.setLimits(limits);
  }

  reset(): void {
    this.#builder.reset();
    this.#meter.reset();
  }

  startTag(tag: StartTag): boolean {
    if (tag.depth === 0) return this.#openRoot(tag);
    if (tag.depth === 1) this.#meter.beginStanza(tag.startBytes);
    const error = this.#builder.open(tag);
    return error === undefined ? true : this.#fail(error);
  }

  endTag(depth: number, endBytes: number): boolean {
    if (depth === 0) {
      this.#handlers.onStreamClose();
      return false; // RFC 6120 §4.4: nothing after the closing tag is read
    }
    const stanza = this.#builder.close();
    return stanza === undefined ? true : this.#endStanza(stanza, endBytes);
  }

  text(text: string): void {
    this.#builder.text(text);
  }

  error(error: StreamError): void {
    this.#handlers.onError(error);
  }

  /** After each slice of input: a stanza or header still growing may have passed the limit. */
  checkSlice(bytesRead: number, bytesPending: number): StreamError | undefined {
    return this.#meter.endSlice(bytesRead, bytesPending, this.#limits.maxStanzaBytes);
  }

  #openRoot(tag: StartTag): boolean {
    const error = checkAttributeCount(tag, this.#limits.maxAttributes)
      ?? this.#meter.openRoot(tag.endBytes, this.#limits.maxStanzaBytes);
    if (error !== undefined) return this.#fail(error);
    this.#handlers.onStreamOpen({ name: tag.name, local: tag.local, uri: tag.uri, attrs: tag.attributes() });
    return true;
  }

  #endStanza(stanza: Element, endBytes: number): boolean {
    const error = this.#meter.endStanza(endBytes, this.#limits.maxStanzaBytes);
    if (error !== undefined) return this.#fail(error);
    // Canonical form (element-builder.ts): the top element states its namespace; its name is local.
    this.#handlers.onStanza(stanza, (stanza.attrs.xmlns as string | undefined) ?? '', stanza.name);
    return true;
  }

  #fail(error: StreamError): boolean {
    this.#handlers.onError(error);
    return false;
  }
}
