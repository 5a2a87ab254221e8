/** The one place saxes parsers are configured (STYLE.md §7: one module wraps a library). */
import { EVENTS, SaxesParser, type SaxesTagNS, type XMLDecl } from 'saxes';
import type { AttributeEvent } from './element-builder.js';

/**
 * Namespaces on, so prefixes are resolved and unbound ones are errors; XML 1.0 forced because
 * RFC 6120 §11.5 names XML 1.0, whatever version a declaration claims.
 */
const OPTIONS = { xmlns: true, defaultXMLVersion: '1.0', forceXMLVersion: true } as const;

/** A namespace-aware saxes parser as configured for XMPP input. */
export type XmlParser = SaxesParser<typeof OPTIONS>;

/** The saxes events Salon listens to; `text` is optional so a stream can switch it on and off. */
export interface XmlEventHandlers {
  xmldecl(decl: XMLDecl): void;
  opentagstart(): void;
  attribute(attr: AttributeEvent): void;
  opentag(tag: SaxesTagNS): void;
  text?(text: string): void;
  cdata(text: string): void;
  closetag(tag: SaxesTagNS): void;
  /** Comments, processing instructions and DTDs: all forbidden in XMPP (RFC 6120 §11.1). */
  comment(): void;
  processinginstruction(): void;
  doctype(): void;
  error(error: Error): void;
}

/** A fresh parser for one document (one stream, or one framed element), wired to `handlers`. */
export function createXmlParser(handlers: XmlEventHandlers): XmlParser {
  const parser = new SaxesParser(OPTIONS);
  parser.on('xmldecl', handlers.xmldecl);
  parser.on('opentagstart', handlers.opentagstart);
  parser.on('attribute', handlers.attribute);
  parser.on('opentag', handlers.opentag);
  if (handlers.text !== undefined) parser.on('text', handlers.text);
  parser.on('cdata', handlers.cdata);
  parser.on('closetag', handlers.closetag);
  parser.on('comment', handlers.comment);
  parser.on('processinginstruction', handlers.processinginstruction);
  parser.on('doctype', handlers.doctype);
  parser.on('error', handlers.error);
  return parser;
}

function ignoreAbandonedParserError(): void {
  // The input such a parser is still reading belongs to a stream that was reset away.
}

/** Silences a parser abandoned while it may still be reading its current chunk. */
export function detachXmlParser(parser: XmlParser): void {
  for (const name of EVENTS) parser.off(name);
  parser.on('error', ignoreAbandonedParserError); // without an error handler saxes throws
}
