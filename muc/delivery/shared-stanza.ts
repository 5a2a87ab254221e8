/**
 * `muc/delivery/`: traffic in and out of rooms. Stanzas to the service are dispatched by kind
 * (`presence-dispatch.ts`, `message-dispatch.ts`, `occupant-iq.ts`); groupchat, private messages,
 * invitations, subject and status messages, presence fan-out and history are built here. Traffic
 * to occupant sessions leaves through this file; invitations, iq replies and errors, addressed to
 * users rather than to sessions, go through the router (`MucEngine.send`).
 *
 * Delivery to occupant sessions from XML serialised once (DESIGN.md §7: "serialize once per
 * destination kind, not per recipient"): a stanza is built and serialised without `to`, encoded to
 * UTF-8 once and cut after its element name; every recipient gets the same two pieces with its own
 * ` to="…"` (encoded once, when its session joined) between them. Profiles of a room's fan-out
 * showed that splicing the attribute into a string and encoding that string again for every
 * recipient was most of the cost.
 *
 * Each copy then takes the core's direct-delivery door (`deliverDirect`): the recipient host's
 * inbound guards (blocking, …) decide whether it is written. The name, `from` and `type` they
 * look at are read from the serialised start tag once per stanza, not per recipient.
 */
import { parse, unescapeXML, type Element } from 'ltx';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { deliverDirect, type DirectStanza } from '../../server/router/index.js';
import type { EncodedXml } from '../../server/session/index.js';
import { escapeAttr, serializeElement } from '../../server/xml/index.js';
import type { OccupantSession } from '../rooms/room-occupant.js';

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

/** The value of attribute `name` in the start tag of serialised `xml` (double-quoted, as serialised here). */
function startTagAttribute(xml: string, name: string): string | undefined {
  const tagEnd = xml.indexOf('>');
  const at = xml.indexOf(` ${name}="`);
  if (at === -1 || (tagEnd !== -1 && at > tagEnd)) return undefined;
  const start = at + name.length + 3;
  const end = xml.indexOf('"', start);
  return end === -1 ? undefined : unescapeXML(xml.slice(start, end));
}

/** A stanza serialised without `to`, encoded once, ready to be addressed to any number of recipients. */
export class SharedStanza implements DirectStanza {
  readonly name: string;
  readonly #xml: string;
  readonly #head: Uint8Array;
  readonly #rest: Uint8Array;
  #from: Jid | undefined | null = null;
  #type: string | undefined | null = null;

  constructor(xml: string) {
    const bytes = Buffer.from(xml, 'utf8');
    const end = nameEnd(xml);
    const cut = Buffer.byteLength(xml.slice(0, end), 'utf8');
    this.name = xml.slice(1, end);
    this.#xml = xml;
    this.#head = bytes.subarray(0, cut);
    this.#rest = bytes.subarray(cut);
  }

  /** Read from the start tag on first use (once per stanza, whatever the number of recipients). */
  get from(): Jid | undefined {
    if (this.#from === null) {
      const text = startTagAttribute(this.#xml, 'from');
      const parsed = text === undefined ? undefined : parseJid(text);
      this.#from = parsed?.ok === true ? parsed.value : undefined;
    }
    return this.#from;
  }

  get type(): string | undefined {
    if (this.#type === null) this.#type = startTagAttribute(this.#xml, 'type');
    return this.#type;
  }

  /** The stanza with `toAttr` (from `encodeToAttribute`) after its element name. */
  addressedBy(toAttr: Uint8Array): EncodedXml {
    return [this.#head, toAttr, this.#rest];
  }

  /** Only for guards and test taps that ask for the element (`DeliveryEvent.element`). */
  elementFor(to: Jid): Element {
    const element = parse(this.#xml);
    element.attrs.to = to.toString();
    return element;
  }
}

/**
 * Sends a shared stanza to one occupant session, through the recipient's inbound guards: false
 * when they stopped it (a promise of that while a guard waits on storage).
 */
export function sendShared(target: OccupantSession, stanza: SharedStanza): boolean | Promise<boolean> {
  return deliverDirect(target.host, target.session, stanza, stanza.addressedBy(target.toAttr));
}

/** Sends XML serialised without `to` to one occupant session (see `sendShared`). */
export function sendXml(target: OccupantSession, xml: string): boolean | Promise<boolean> {
  return sendShared(target, new SharedStanza(xml));
}

/** Sends a stanza built without `to` to one occupant session (see `sendShared`). */
export function sendElement(target: OccupantSession, stanza: Element): boolean | Promise<boolean> {
  return sendXml(target, serializeElement(stanza));
}
