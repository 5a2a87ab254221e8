/**
 * The incremental parser of one XML stream (RFC 6120 §4): bytes in; the stream header, one
 * complete ltx element per top-level child of the root, and the stream close out. Limits and
 * restricted XML (§11.1) are enforced while reading, so no input is buffered past a limit.
 */
import { StreamError } from '../errors/index.js';
import { StreamAssembler } from './stream-assembler.js';
import { XmlTokenizer } from './xml-tokenizer.js';
import type { XmlLimits } from './xml-limits.js';
import type { XmlStreamHandlers } from './xml-stream-handlers.js';

export type { XmlLimits } from './xml-limits.js';
export type { StreamOpen, XmlStreamHandlers } from './xml-stream-handlers.js';

const STREAM_DECODE = { stream: true } as const;

/** TextDecoder's refusal of invalid UTF-8 (checked by code: the error may come from another realm). */
function isEncodingError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
}

/**
 * One per connection. Not re-entrant: handlers may call `reset()` and `setLimits()`, not `write()`.
 */
export class XmlStreamParser {
  #limits: XmlLimits;
  readonly #assembler: StreamAssembler;
  #tokenizer: XmlTokenizer;
  #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bumped by `reset()`: a changed value tells a running write that its input is obsolete. */
  #epoch = 0;

  constructor(handlers: XmlStreamHandlers, limits: XmlLimits) {
    this.#limits = { ...limits };
    this.#assembler = new StreamAssembler(handlers, this.#limits);
    this.#tokenizer = new XmlTokenizer(this.#assembler, true);
  }

  /** Feeds input; Buffer chunks may split multibyte UTF-8 characters anywhere. */
  write(chunk: Buffer | string): void {
    if (this.#tokenizer.isHalted) return;
    try {
      const text = typeof chunk === 'string' ? chunk : this.#decode(chunk);
      if (text !== undefined && text.length > 0) this.#feedSlices(text);
    } catch (error) {
      // A handler threw (a bug above): the parser may be mid-event and cannot go on.
      this.#tokenizer.halt();
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
    this.#assembler.setLimits(this.#limits);
  }

  /**
   * A new stream begins on the same connection (RFC 6120 §5.4.3.3 after TLS, §6.4.6 after SASL).
   * Input not yet parsed when this is called from a handler is discarded: the peer must wait
   * for `<proceed/>` or `<success/>`, and bytes sent before TLS must never reach the new stream.
   */
  reset(): void {
    this.#epoch++;
    this.#tokenizer.halt(); // it may be mid-write, below a handler that called this
    this.#tokenizer = new XmlTokenizer(this.#assembler, true);
    this.#decoder = new TextDecoder('utf-8', { fatal: true });
    this.#assembler.reset();
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

  /**
   * Slices no longer than the limit: a limit is detected after at most twice its size of input,
   * however large the chunk, and no more than that is read past it.
   */
  #feedSlices(text: string): void {
    const epoch = this.#epoch;
    const tokenizer = this.#tokenizer;
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + this.#limits.maxStanzaBytes + 1);
      const lastCode = text.charCodeAt(end - 1);
      if (end < text.length && end - start > 1 && lastCode >= 0xd800 && lastCode <= 0xdbff) end--;
      tokenizer.write(start === 0 && end === text.length ? text : text.slice(start, end));
      if (epoch !== this.#epoch || tokenizer.isHalted) return;
      const error = this.#assembler.checkSlice(tokenizer.bytesRead, tokenizer.bytesPending);
      if (error !== undefined) {
        this.#fail(error);
        return;
      }
      start = end;
    }
  }

  #fail(error: StreamError): void {
    this.#tokenizer.halt();
    this.#assembler.error(error);
  }
}
