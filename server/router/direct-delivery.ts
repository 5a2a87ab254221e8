/**
 * The delivery rule's second door (DESIGN.md §7). A stanza reaches a session either routed — the
 * recipient host's stanza events run, with its inbound guards at `Priority.Guard` — or written
 * straight to a session by a service that already chose its recipients (a MUC room's fan-out).
 * The second way passes here: `deliver-stanza` fires on the recipient's host, and only then are
 * the bytes written. So blocking, privacy and any later inbound rule live in one place per host,
 * not inside each service.
 *
 * Speed: the stanza stays serialised once for all its recipients (addresses and name read once
 * from its bytes, see `DirectStanza`); per recipient this costs one small event object and the
 * guards' own checks (for the blocklist, a cache lookup that ends at once on an empty list), and
 * nothing at all on a host with no guard. No element is built unless a handler asks for one.
 */
import type { Element } from 'ltx';
import type { DeliveryEvent } from '../hooks/index.js';
import type { Host } from '../host/index.js';
import type { Jid } from '../jid/index.js';
import type { OutboundXml, Session } from '../session/index.js';

/** What a direct delivery knows of its stanza without parsing it per recipient. */
export interface DirectStanza {
  readonly from: Jid | undefined;
  readonly name: string;
  readonly type: string | undefined;
  /** One recipient's copy as an element (built on demand, a new one per call). */
  elementFor(to: Jid): Element;
}

class Delivery implements DeliveryEvent {
  readonly host: Host;
  readonly recipient: Session;
  readonly xml: OutboundXml;
  readonly #stanza: DirectStanza;

  constructor(host: Host, recipient: Session, stanza: DirectStanza, xml: OutboundXml) {
    this.host = host;
    this.recipient = recipient;
    this.#stanza = stanza;
    this.xml = xml;
  }

  get to(): Jid {
    return this.recipient.jid;
  }

  get from(): Jid | undefined {
    return this.#stanza.from;
  }

  get name(): string {
    return this.#stanza.name;
  }

  get type(): string | undefined {
    return this.#stanza.type;
  }

  element(): Element {
    return this.#stanza.elementFor(this.recipient.jid);
  }
}

/**
 * Writes `xml` (the stanza addressed to `recipient`) after the recipient host's `deliver-stanza`
 * guards let it pass. `host` is the recipient's host; undefined (no such host) skips the guards.
 * True when written, false when a guard stopped it (or the session is closed); a promise of that
 * when a guard waits on storage.
 */
export function deliverDirect(host: Host | undefined, recipient: Session, stanza: DirectStanza, xml: OutboundXml): boolean | Promise<boolean> {
  if (host === undefined || !host.hooks.has('deliver-stanza')) return recipient.sendRaw(xml);
  return deliverAgain(new Delivery(host, recipient, stanza, xml));
}

/**
 * Passes a delivery through its host's guards again and writes it if they let it pass: how a
 * handler that took a stanza off the way (a test's delay) hands it back.
 */
export function deliverAgain(event: DeliveryEvent): boolean | Promise<boolean> {
  const outcome = event.host.hooks.fire('deliver-stanza', event);
  if (outcome === undefined) return event.recipient.sendRaw(event.xml, event);
  // A guard waiting on storage (a blocklist not yet in memory); rejections are already turned
  // into a veto by the hook bus.
  if (outcome instanceof Promise) return outcome.then((settled) => settled === undefined && event.recipient.sendRaw(event.xml, event));
  return false;
}
