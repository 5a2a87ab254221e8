/**
 * Moving a canonical element into the stream's content namespace. BOSH payloads written without a
 * namespace of their own (XEP-0206, as Prosody accepts them) and WebSocket stanzas without any
 * (RFC 7395 §3.3.3 wants `jabber:client`; Prosody takes them as such) are taken to be in
 * `jabber:client`. The element stays canonical (DESIGN.md §1): `xmlns` first on it, and no
 * descendant restates the namespace it now inherits.
 */
import type { Element } from 'ltx';

function withoutXmlns(attrs: Record<string, unknown>): Record<string, unknown> {
  const { xmlns: _stated, ...rest } = attrs;
  return rest;
}

/** Drops `xmlns='<uri>'` where it now repeats the parent's namespace. */
function dropRepeated(element: Element, uri: string): void {
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    const stated = child.attrs.xmlns as string | undefined;
    if (stated === undefined) dropRepeated(child, uri); // it inherits the new namespace
    else if (stated === uri) child.attrs = withoutXmlns(child.attrs);
  }
}

/** Puts the top-level `element` (and what inherits its namespace) into namespace `uri`. */
export function moveToNamespace(element: Element, uri: string): void {
  element.attrs = { xmlns: uri, ...withoutXmlns(element.attrs) };
  dropRepeated(element, uri);
}
