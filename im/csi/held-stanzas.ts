/**
 * The stanzas held back from one inactive client (XEP-0352 §5), as an output filter on its
 * session. What is not urgent waits, stamped with the time it arrived (XEP-0203, so the client
 * can tell when a contact's presence changed); the first urgent stanza takes everything held
 * with it, in the order it came. Bounded: a full buffer is flushed, never grown.
 */
import { clone, type Element } from 'ltx';
import type { OutboundXml, OutgoingStanza, OutputFilter } from '../../server/session/index.js';
import { delayElement, delayStamp, NS, serializeElement } from '../../server/xml/index.js';
import { isImportant, type PayloadName } from './importance.js';

export interface HoldRules {
  /** `csi_queue_size`: the most stanzas held; one more flushes them all. */
  readonly stanzas: number;
  /** `csi_queue_bytes`: the most bytes held; a stanza that would pass it flushes the buffer. */
  readonly bytes: number;
  /** `csi_important_payloads`. */
  readonly importantPayloads: readonly PayloadName[];
}

interface Held {
  readonly stanza: OutgoingStanza;
  /** The rest of the session's output chain, as it was when the stanza arrived. */
  readonly next: (stanza: OutgoingStanza) => boolean;
}


export class HeldStanzas {
  readonly #rules: HoldRules;
  /** The account's bare JID: the `from` of the delay stamps. */
  readonly #stampedBy: string;
  #held: Held[] = [];
  #bytes = 0;

  constructor(rules: HoldRules, stampedBy: string) {
    this.#rules = rules;
    this.#stampedBy = stampedBy;
  }

  get size(): number {
    return this.#held.length;
  }

  readonly filter: OutputFilter = (stanza, next) => {
    if (isImportant(stanza, this.#rules.importantPayloads)) {
      this.flush();
      return next(stanza);
    }
    if (this.#held.length >= this.#rules.stanzas) {
      this.flush();
      return next(stanza);
    }
    const stamped = stampDelay(stanza, this.#stampedBy);
    const bytes = byteLength(stamped.xml);
    if (this.#bytes + bytes > this.#rules.bytes) {
      this.flush();
      return next(stanza);
    }
    this.#held.push({ stanza: stamped, next });
    this.#bytes += bytes;
    return true;
  };

  /** Writes everything held, oldest first. Returns how many stanzas went. */
  flush(): number {
    const held = this.#held;
    if (held.length === 0) return 0;
    // A new list first: a write during the flush that is held again lands after these.
    this.#held = [];
    this.#bytes = 0;
    for (const { stanza, next } of held) next(stanza);
    return held.length;
  }

  /** Empties the buffer without writing (the session ended): what was held, oldest first. */
  take(): OutgoingStanza[] {
    const held = this.#held;
    this.#held = [];
    this.#bytes = 0;
    return held.map(({ stanza }) => stanza);
  }
}

/** XEP-0203: when the server got it; a stanza that already says when it was sent keeps that. */
function stampDelay(stanza: OutgoingStanza, from: string): OutgoingStanza {
  const element = stanza.element();
  if (element.getChild('delay', NS.delay) !== undefined) return stanza;
  element.cnode(delayElement(from, delayStamp()));
  return new StampedStanza(element);
}

function byteLength(xml: OutboundXml): number {
  if (typeof xml === 'string') return Buffer.byteLength(xml);
  let total = 0;
  for (const piece of xml) total += piece.byteLength;
  return total;
}

/** A held stanza with its delay stamp: serialised once, when held. */
class StampedStanza implements OutgoingStanza {
  readonly #element: Element;
  readonly xml: string;

  constructor(element: Element) {
    this.#element = element;
    this.xml = serializeElement(element);
  }

  get name(): string {
    return this.#element.name;
  }

  get type(): string | undefined {
    return this.#element.attrs.type as string | undefined;
  }

  element(): Element {
    return clone(this.#element);
  }
}
