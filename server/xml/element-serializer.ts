/**
 * Serialises an ltx element for the wire: the same XML as ltx's `toString`, with Salon's escaping
 * (attribute tabs and line breaks kept as references, XML 1.0 §3.3.3). ltx writes through a
 * callback per token and escapes every value with a regex replace; on the 1:1 message path that
 * and flattening the many small strings it concatenates was the largest cost after the tokenizer
 * (profile of the `msg` bench). Here each attribute and text is one piece, and text without
 * special characters is not rewritten.
 */
import type { Element } from 'ltx';
import { escapeAttr, escapeXml } from './serialize.js';

type Child = Element | string | number | null | undefined;

/** `element` and its subtree as XML text. */
export function serializeElement(element: Element): string {
  let xml = `<${element.name}`;
  const attrs = element.attrs as Record<string, unknown>;
  for (const name in attrs) {
    const value = attrs[name];
    // ltx skips null and undefined values the same way.
    if (value !== undefined && value !== null) xml += ` ${name}="${escapeAttr(typeof value === 'string' ? value : String(value))}"`;
  }
  const children = element.children as Child[];
  if (children.length === 0) return `${xml}/>`;
  xml += '>';
  for (const child of children) {
    if (typeof child === 'string') xml += escapeXml(child);
    else if (typeof child === 'number') xml += escapeXml(String(child));
    else if (child !== null && child !== undefined) xml += serializeElement(child);
  }
  return `${xml}</${element.name}>`;
}
