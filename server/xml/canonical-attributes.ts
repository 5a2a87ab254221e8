/**
 * The attributes of an element in Salon's canonical form (DESIGN.md §1): no namespace
 * declarations, the element's own namespace in `xmlns` (first) when it has to be stated, `xml:*`
 * attributes as written. An attribute in another namespace (Namespaces in XML 1.0 §6.2; rare in
 * XMPP, but XEP-0206 puts `xmpp:restart` and `xmpp:version` on the BOSH `<body/>`) is kept under a
 * prefix chosen here, `ns1`, `ns2`, … in order of first use, declared on the same element: the
 * element stays namespace-well-formed wherever it is copied, and the same attributes read the same
 * whatever prefix the sender chose.
 */
import type { StartTag } from './start-tag.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

function setAttribute(attrs: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    // A plain assignment would set the prototype instead of recording the attribute.
    Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    attrs[name] = value;
  }
}

/**
 * The canonical attributes of `tag`; `xmlns` is the namespace to state on the element, or
 * undefined when it is the parent's. One object is allocated; more only for foreign attributes.
 */
export function canonicalAttributes(tag: StartTag, xmlns: string | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (xmlns !== undefined) attrs.xmlns = xmlns;
  const { names, values, colons } = tag;
  let foreign: string[] | undefined;
  for (let i = 0; i < tag.count; i++) {
    const name = names[i] ?? '';
    const colon = colons[i] ?? -1;
    if (colon < 0) {
      if (name !== 'xmlns') setAttribute(attrs, name, values[i] ?? '');
      continue;
    }
    if (colon === 5 && name.startsWith('xmlns')) continue; // a declaration: resolved already
    const uri = tag.uris[i] ?? '';
    if (uri === XML_NAMESPACE) {
      attrs[name] = values[i] ?? '';
      continue;
    }
    foreign ??= [];
    let index = foreign.indexOf(uri);
    if (index < 0) index = foreign.push(uri) - 1;
    attrs[`ns${index + 1}:${name.slice(colon + 1)}`] = values[i] ?? '';
  }
  for (let i = 0; foreign !== undefined && i < foreign.length; i++) attrs[`xmlns:ns${i + 1}`] = foreign[i] ?? '';
  return attrs;
}
