/**
 * Delivery to occupant sessions from XML serialised once: a stanza is built and serialised without
 * `to`, and each recipient's escaped ` to="…"` is spliced in after the element name (DESIGN.md §7:
 * "serialize once per destination kind, not per recipient").
 */
import type { Element } from 'ltx';
import type { OccupantSession } from './room-occupant.js';

/** Inserts `toAttr` (` to="…"`, already escaped) after the element name of serialised `xml`. */
export function spliceTo(xml: string, toAttr: string): string {
  let end = 1;
  while (end < xml.length) {
    const code = xml.charCodeAt(end);
    if (code === 0x20 || code === 0x3e || code === 0x2f) break; // space, '>' or '/'
    end++;
  }
  return xml.slice(0, end) + toAttr + xml.slice(end);
}

/** Sends XML serialised without `to` to one occupant session. */
export function sendXml(target: OccupantSession, xml: string): void {
  target.session.sendRaw(spliceTo(xml, target.toAttr));
}

/** Sends a stanza built without `to` to one occupant session. */
export function sendElement(target: OccupantSession, stanza: Element): void {
  sendXml(target, stanza.toString());
}
