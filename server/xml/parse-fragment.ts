/**
 * Parsing of one complete element from a string: a WebSocket message is exactly one element
 * (RFC 7395 §3.3.3). The restrictions and limits of a stream apply (RFC 6120 §11.1, §13.12).
 */
import type { Element } from 'ltx';
import type { SaxesTagNS, XMLDecl } from 'saxes';
import { err, ok, StreamError, type Result } from '../errors/index.js';
import { ElementBuilder, type AttributeEvent } from './element-builder.js';
import { checkDeclaredEncoding, restrictedXml, streamErrorFromSaxes } from './saxes-errors.js';
import { createXmlParser, type XmlParser } from './saxes-parser.js';
import type { XmlLimits } from './xml-limits.js';

/** An element with its resolved namespace and local name. */
export interface ParsedElement {
  element: Element;
  uri: string;
  local: string;
}

/**
 * One saxes parser reused across calls: parsing runs no outside code, so calls cannot
 * interleave, and `close()` leaves saxes ready for the next document.
 */
class FragmentReader {
  readonly #parser: XmlParser;
  readonly #builder: ElementBuilder;
  #error: StreamError | undefined;
  #result: ParsedElement | undefined;
  #uri = '';
  #local = '';

  constructor(limits: XmlLimits) {
    this.#builder = new ElementBuilder(limits);
    this.#parser = createXmlParser({
      xmldecl: this.#onXmlDecl,
      opentagstart: this.#onOpenTagStart,
      attribute: this.#onAttribute,
      opentag: this.#onOpenTag,
      text: this.#onText,
      cdata: this.#onText,
      closetag: this.#onCloseTag,
      comment: this.#onComment,
      processinginstruction: this.#onProcessingInstruction,
      doctype: this.#onDoctype,
      error: this.#onError,
    });
  }

  read(text: string, limits: XmlLimits): Result<ParsedElement, StreamError> {
    this.#builder.reset();
    this.#builder.setLimits(limits);
    this.#error = undefined;
    this.#result = undefined;
    this.#parser.write(text);
    this.#parser.close();
    const result = this.#result;
    this.#result = undefined;
    if (this.#error !== undefined) return err(this.#error);
    // saxes reports a missing root itself; this covers an element left unbuilt by a limit.
    if (result === undefined) return err(new StreamError('not-well-formed', 'Expected one element'));
    return ok(result);
  }

  #fail(error: StreamError): void {
    this.#error ??= error;
  }

  readonly #onXmlDecl = (decl: XMLDecl): void => {
    const error = checkDeclaredEncoding(decl.encoding);
    if (error !== undefined) this.#fail(error);
  };

  readonly #onOpenTagStart = (): void => {
    const error = this.#builder.beginElement();
    if (error !== undefined) this.#fail(error);
  };

  readonly #onAttribute = (attr: AttributeEvent): void => {
    const error = this.#builder.addAttribute(attr);
    if (error !== undefined) this.#fail(error);
  };

  readonly #onOpenTag = (tag: SaxesTagNS): void => {
    if (this.#builder.depth === 1) {
      this.#uri = tag.uri;
      this.#local = tag.local;
    }
    this.#builder.openElement(tag);
  };

  readonly #onText = (text: string): void => {
    this.#builder.text(text);
  };

  readonly #onCloseTag = (): void => {
    const element = this.#builder.closeElement();
    if (element !== undefined) this.#result = { element, uri: this.#uri, local: this.#local };
  };

  readonly #onComment = (): void => {
    this.#fail(restrictedXml('comment'));
  };

  readonly #onProcessingInstruction = (): void => {
    this.#fail(restrictedXml('processing instruction'));
  };

  readonly #onDoctype = (): void => {
    this.#fail(restrictedXml('DTD'));
  };

  readonly #onError = (error: Error): void => {
    this.#fail(streamErrorFromSaxes(error));
  };
}

let reader: FragmentReader | undefined;

/**
 * Parses exactly one complete element (whitespace around it is allowed). No element, more than
 * one, or other text is `not-well-formed`; forbidden XML is `restricted-xml`; a limit passed is
 * `policy-violation`.
 */
export function parseXmlFragment(text: string, limits: XmlLimits): Result<ParsedElement, StreamError> {
  if (Buffer.byteLength(text, 'utf8') > limits.maxStanzaBytes) {
    return err(new StreamError('policy-violation', 'Stanza too large'));
  }
  const current = reader ?? new FragmentReader(limits);
  reader = undefined; // a call that throws must not leave a half-used parser behind
  const result = current.read(text, limits);
  reader = current;
  return result;
}
