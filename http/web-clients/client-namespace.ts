/**
 * Outgoing stanzas over WebSocket (RFC 7395 §3.3.3) and inside a BOSH `<body/>` (XEP-0206 §5)
 * are separate documents or children of a foreign element: each must declare `jabber:client`
 * itself. Stanzas are serialised once for every transport (the TCP stream declares the namespace
 * on its root), so the declaration is added here, on the serialised text, only when missing.
 */
import { NS } from '../../server/xml/index.js';

const STANZA_NAMES = ['message', 'presence', 'iq'] as const;
const DECLARATION = ` xmlns='${NS.client}'`;

/** The length of `<name` when `xml` starts with a stanza's start tag, else 0. */
function stanzaNameEnd(xml: string): number {
  for (const name of STANZA_NAMES) {
    if (!xml.startsWith(name, 1) || xml.charCodeAt(0) !== 0x3c /* < */) continue;
    const after = xml.charAt(name.length + 1);
    if (after === ' ' || after === '>' || after === '/' || after === '\t' || after === '\n' || after === '\r') return name.length + 1;
  }
  return 0;
}

/**
 * `xml` (one serialised top-level element) with `xmlns='jabber:client'` on its start tag when
 * it is a stanza without a default namespace declaration; anything else is returned unchanged.
 */
export function withClientNamespace(xml: string): string {
  const at = stanzaNameEnd(xml);
  if (at === 0) return xml;
  // Attribute values are escaped by every serialiser we use, so the first `>` ends the start
  // tag and a quote never appears inside a value: ` xmlns=` before it is the declaration.
  const tagEnd = xml.indexOf('>');
  const declared = xml.indexOf(' xmlns=');
  if (declared !== -1 && declared < tagEnd) return xml;
  return xml.slice(0, at) + DECLARATION + xml.slice(at);
}
