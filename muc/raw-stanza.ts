/**
 * Delivery to occupant sessions from XML serialised once (DESIGN.md §7: "serialize once per
 * destination kind, not per recipient"): a stanza is built and serialised without `to`, encoded to
 * UTF-8 once and cut after its element name; every recipient gets the same two pieces with its own
 * ` to="…"` (encoded once, when its session joined) between them. Profiles of a room's fan-out
 * showed that splicing the attribute into a string and encoding that string again for every
 * recipient was most of the cost.
 */
import type { Element } from 'ltx';
import type { Jid } from '../server/jid/index.js';
import type { EncodedXml } from '../server/session/index.js';
import { escapeAttr, serializeElement } from '../server/xml/index.js';
import type { OccupantSession } from './room-occupant.js';

/** Where the element name of serialised `xml` ends: at the first space, `>` or `/` after `<`. */
function nameEnd(xml: string): number {
  let end = 1;
  while (end < xml.length) {
    const code = xml.charCodeAt(end);
    if (code === 0x20 || code === 0x3e || code === 0x2f) break; // space, '>' or '/'
    end++;
  }
  return end;
}

/** ` to="…"`, escaped and encoded, for a recipient's full JID. */
export function encodeToAttribute(jid: Jid): Uint8Array {
  return Buffer.from(` to="${escapeAttr(jid.toString())}"`, 'utf8');
}

/** A stanza serialised without `to`, encoded once, ready to be addressed to any number of recipients. */
export class SharedStanza {
  readonly #head: Uint8Array;
  readonly #rest: Uint8Array;

  constructor(xml: string) {
    const bytes = Buffer.from(xml, 'utf8');
    const cut = Buffer.byteLength(xml.slice(0, nameEnd(xml)), 'utf8');
    this.#head = bytes.subarray(0, cut);
    this.#rest = bytes.subarray(cut);
  }

  /** The stanza with `toAttr` (from `encodeToAttribute`) after its element name. */
  addressedBy(toAttr: Uint8Array): EncodedXml {
    return [this.#head, toAttr, this.#rest];
  }
}

/** Sends a shared stanza to one occupant session. */
export function sendShared(target: OccupantSession, stanza: SharedStanza): void {
  target.session.sendRaw(stanza.addressedBy(target.toAttr));
}

/** Sends XML serialised without `to` to one occupant session. */
export function sendXml(target: OccupantSession, xml: string): void {
  sendShared(target, new SharedStanza(xml));
}

/** Sends a stanza built without `to` to one occupant session. */
export function sendElement(target: OccupantSession, stanza: Element): void {
  sendXml(target, serializeElement(stanza));
}
