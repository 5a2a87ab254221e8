/** The one place saxes parsers are configured (STYLE.md §7: one module wraps a library). */
import { SaxesParser } from 'saxes';

/**
 * Namespaces on, so prefixes are resolved and unbound ones are errors; XML 1.0 forced because
 * RFC 6120 §11.5 names XML 1.0, whatever version a declaration claims.
 */
const OPTIONS = { xmlns: true, defaultXMLVersion: '1.0', forceXMLVersion: true } as const;

/** A namespace-aware saxes parser as configured for XMPP input. */
export type XmlParser = SaxesParser<typeof OPTIONS>;

/** A fresh parser for one document (one stream, or one framed element). */
export function createXmlParser(): XmlParser {
  return new SaxesParser(OPTIONS);
}
