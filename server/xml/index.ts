/** XML in and out: the stream parser, framed-element parsing, serialisation helpers, namespaces. */
export { XmlStreamParser } from './xml-stream-parser.js';
export type { StreamOpen } from './xml-stream-handlers.js';
export type { XmlLimits } from './xml-limits.js';
export { parseXmlFragment } from './parse-fragment.js';
export type { ParsedElement } from './parse-fragment.js';
export { moveToNamespace } from './move-to-namespace.js';
export { streamHeader, escapeXml, escapeAttr } from './serialize.js';
export { serializeElement } from './element-serializer.js';
export { errorReply, iqResult } from './reply.js';
export { NS } from './ns.js';
export { hasHint } from './hints.js';
export { delayElement, delayStamp } from './delay.js';
export type { Hint } from './hints.js';
