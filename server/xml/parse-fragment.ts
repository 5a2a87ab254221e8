/**
 * Parsing of one complete element from a string: a WebSocket message is exactly one element
 * (RFC 7395 §3.3.3). The restrictions and limits of a stream apply (RFC 6120 §11.1, §13.12).
 */
import type { Element } from 'ltx';
import { err, ok, StreamError, type Result } from '../errors/index.js';
import { ElementBuilder } from './element-builder.js';
import { XmlTokenizer, type StartTag, type TokenSink } from './xml-tokenizer.js';
import type { XmlLimits } from './xml-limits.js';

/** An element in canonical form (`element-builder.ts`) with its namespace and local name. */
export interface ParsedElement {
  element: Element;
  uri: string;
  local: string;
}

/**
 * One tokenizer reused across calls: parsing runs no outside code, so calls cannot interleave,
 * and `reset()` readies it for the next document.
 */
class FragmentReader implements TokenSink {
  readonly #tokenizer = new XmlTokenizer(this, false);
  readonly #builder: ElementBuilder;
  #error: StreamError | undefined;
  #result: ParsedElement | undefined;

  constructor(limits: XmlLimits) {
    this.#builder = new ElementBuilder(limits);
  }

  read(text: string, limits: XmlLimits): Result<ParsedElement, StreamError> {
    this.#builder.reset();
    this.#builder.setLimits(limits);
    this.#tokenizer.reset();
    this.#error = undefined;
    this.#result = undefined;
    this.#tokenizer.write(text);
    this.#tokenizer.end();
    const result = this.#result;
    this.#result = undefined;
    if (this.#error !== undefined) return err(this.#error);
    // The tokenizer reports a missing root itself; this covers an element left unbuilt by a limit.
    if (result === undefined) return err(new StreamError('not-well-formed', 'Expected one element'));
    return ok(result);
  }

  startTag(tag: StartTag): boolean {
    const error = this.#builder.open(tag);
    if (error === undefined) return true;
    this.#error ??= error;
    return false;
  }

  endTag(): boolean {
    const element = this.#builder.close();
    if (element !== undefined) this.#result = { element, uri: (element.attrs.xmlns as string | undefined) ?? '', local: element.name };
    return true;
  }

  text(text: string): void {
    this.#builder.text(text);
  }

  error(error: StreamError): void {
    this.#error ??= error;
  }
}

let reader: FragmentReader | undefined;

/** Whether `text` has more than `maxBytes` bytes in UTF-8, counting only when length alone cannot tell. */
function isLongerThan(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  return text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes;
}

/**
 * Parses exactly one complete element (whitespace around it is allowed). No element, more than
 * one, or other text is `not-well-formed`; forbidden XML is `restricted-xml`; a limit passed is
 * `policy-violation`.
 */
export function parseXmlFragment(text: string, limits: XmlLimits): Result<ParsedElement, StreamError> {
  // Each UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair is 4 for 2 units).
  if (isLongerThan(text, limits.maxStanzaBytes)) return err(new StreamError('policy-violation', 'Stanza too large'));
  const current = reader ?? new FragmentReader(limits);
  reader = undefined; // a call that throws must not leave a half-used reader behind
  const result = current.read(text, limits);
  reader = current;
  return result;
}
