/**
 * What a session writes to its client: one serialised top-level element, as text or as its UTF-8
 * bytes in pieces written back to back. The pieces let a fan-out encode a stanza once and hand
 * the same bytes to every recipient, adding only each one's own ` to="…"` (DESIGN.md §7), where
 * a string per recipient would be encoded again for every socket.
 */
export type OutboundXml = string | EncodedXml;

/** The UTF-8 bytes of one element, in order; the pieces may be shared with other writes and are never modified. */
export type EncodedXml = readonly Uint8Array[];

/** The element as text, for transports that frame each element on its own (WebSocket, BOSH). */
export function outboundText(xml: OutboundXml): string {
  if (typeof xml === 'string') return xml;
  if (xml.length === 1) return Buffer.from(xml[0]!.buffer, xml[0]!.byteOffset, xml[0]!.byteLength).toString('utf8');
  return Buffer.concat(xml).toString('utf8');
}
