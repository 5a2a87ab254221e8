/** Writing XML as strings where no element is built: stream headers and escaping. */
import { NS } from './ns.js';

const TEXT_SPECIAL = /[&<>]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r]/g;
// Without `g`, for a quick test: most text has nothing to escape and is returned as it is.
const HAS_TEXT_SPECIAL = /[&<>]/;
const HAS_ATTR_SPECIAL = /[&<>"'\t\n\r]/;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;',
  // XML 1.0 §3.3.3 turns these into spaces inside attribute values unless written as references.
  '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

function toEntity(char: string): string {
  return ENTITY[char] ?? char;
}

/** Escapes character data (element text). `>` is escaped too, so `]]>` can never appear. */
export function escapeXml(text: string): string {
  return HAS_TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL, toEntity) : text;
}

/** Escapes an attribute value for either quote style, keeping tabs and line breaks as written. */
export function escapeAttr(value: string): string {
  return HAS_ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIAL, toEntity) : value;
}

/**
 * The opening of a client stream (RFC 6120 §4.7): XML declaration and `<stream:stream>` start tag,
 * with `xmlns='jabber:client'` and the `stream` prefix declared unless `attrs` gives them.
 */
export function streamHeader(attrs: Record<string, string>): string {
  const { xmlns = NS.client, 'xmlns:stream': streamNs = NS.stream, ...rest } = attrs;
  let header = `<?xml version='1.0'?><stream:stream xmlns='${escapeAttr(xmlns)}' xmlns:stream='${escapeAttr(streamNs)}'`;
  for (const name in rest) {
    const value = rest[name];
    if (value !== undefined) header += ` ${name}='${escapeAttr(value)}'`;
  }
  return `${header}>`;
}
