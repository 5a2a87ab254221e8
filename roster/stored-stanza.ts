/**
 * Stanzas kept as XML text (pending subscription requests, offline messages) and read back for
 * delivery. They entered through a client or server stream and passed its limits, so the limits
 * here only bound damaged or edited files: the depth and attribute caps are the largest a stream
 * can be configured with.
 */
import type { Element } from 'ltx';
import { parseXmlFragment, type XmlLimits } from '../server/xml/index.js';

const MAX_DEPTH = 1000;
const MAX_ATTRIBUTES = 64;

/** The stanza a stored text holds, or undefined when the text is not one well-formed element. */
export function parseStoredStanza(text: string): Element | undefined {
  const limits: XmlLimits = { maxStanzaBytes: Buffer.byteLength(text), maxDepth: MAX_DEPTH, maxAttributes: MAX_ATTRIBUTES };
  const parsed = parseXmlFragment(text, limits);
  return parsed.ok ? parsed.value.element : undefined;
}
