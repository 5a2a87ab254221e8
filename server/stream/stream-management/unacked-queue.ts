/**
 * Stanzas written to a client and not yet acknowledged (XEP-0198 §4), oldest first, as the bytes
 * that went out, each with the time it was queued: a resumed session gets them again, and an
 * ended one reports them as delivery failures, both stamped with that time (`redelivery.ts`).
 * `acked` is the client's last `h`; `acked + length` is the server's count.
 */
import type { OutboundXml } from '../../session/index.js';
import { hDistance } from './h-counter.js';

export type AckProblem =
  /** The client claims more than was sent (XEP-0198 §4: `handled-count-too-high`). */
  | { kind: 'too-high'; h: number; sent: number }
  /** The client went back below an `h` it already acknowledged. */
  | { kind: 'too-low'; h: number; acked: number };

/** One unacknowledged stanza and when it was queued (milliseconds since the epoch). */
export interface UnackedStanza {
  readonly xml: OutboundXml;
  readonly queuedAt: number;
}

export class UnackedQueue {
  #items: OutboundXml[] = [];
  /**
   * `Date.now()` of each item, in a parallel array of numbers: every stanza to a managed session
   * passes `push`, so it allocates no object per stanza.
   */
  #queuedAt: number[] = [];
  /** How many items, from the oldest, were already prepared for redelivery (see `prepare`). */
  #prepared = 0;
  #acked: number;

  /** `acked`: the count to start from (0 for a new session). */
  constructor(acked = 0) {
    this.#acked = acked;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The client's last acknowledged `h`. */
  get acked(): number {
    return this.#acked;
  }

  /** The `h` the client should report once it has handled everything written so far. */
  get sent(): number {
    return (this.#acked + this.#items.length) >>> 0;
  }

  push(xml: OutboundXml): void {
    this.#items.push(xml);
    this.#queuedAt.push(Date.now());
  }

  /** Drops what the client says it handled; a count outside the queue is a protocol error. */
  ack(h: number): AckProblem | undefined {
    const handled = hDistance(this.#acked, h);
    if (handled > this.#items.length) {
      // Half the counter's range behind is "already acknowledged", the rest is "never sent".
      return handled > 0x8000_0000 ? { kind: 'too-low', h, acked: this.#acked } : { kind: 'too-high', h, sent: this.sent };
    }
    if (handled > 0) {
      this.#items.splice(0, handled);
      this.#queuedAt.splice(0, handled);
      this.#prepared = Math.max(0, this.#prepared - handled);
      this.#acked = h;
    }
    return undefined;
  }

  /**
   * Takes the client's `h` although it is above what was sent: everything is acknowledged and the
   * server's count becomes `h`, so the client's later counts line up (see
   * `StreamManagement.acknowledged`).
   */
  adopt(h: number): void {
    this.#items = [];
    this.#queuedAt = [];
    this.#prepared = 0;
    this.#acked = h;
  }

  /** The unacknowledged stanzas, oldest first (the queue keeps them until acknowledged). */
  items(): readonly OutboundXml[] {
    return this.#items;
  }

  /**
   * Replaces each item not yet prepared by `rewrite(item)` (the same count of stanzas: `h` is
   * unchanged), so that every later redelivery sends the same bytes and an item is rewritten once.
   */
  prepare(rewrite: (item: UnackedStanza) => OutboundXml): void {
    for (let i = this.#prepared; i < this.#items.length; i++) {
      this.#items[i] = rewrite({ xml: this.#items[i]!, queuedAt: this.#queuedAt[i]! });
    }
    this.#prepared = this.#items.length;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): UnackedStanza[] {
    const drained = this.#items.map((xml, i) => ({ xml, queuedAt: this.#queuedAt[i]! }));
    this.#acked = this.sent;
    this.#items = [];
    this.#queuedAt = [];
    this.#prepared = 0;
    return drained;
  }
}
