/**
 * Stanzas written to a client and not yet acknowledged (XEP-0198 §4), oldest first, as the bytes
 * that went out: a resumed session gets exactly these again, and an ended one reports them as
 * delivery failures. `acked` is the client's last `h`; `acked + length` is the server's count.
 */
import type { OutboundXml } from '../../session/index.js';
import { hDistance } from './h-counter.js';

export type AckProblem =
  /** The client claims more than was sent (XEP-0198 §4: `handled-count-too-high`). */
  | { kind: 'too-high'; h: number; sent: number }
  /** The client went back below an `h` it already acknowledged. */
  | { kind: 'too-low'; h: number; acked: number };

export class UnackedQueue {
  #items: OutboundXml[] = [];
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
    this.#acked = h;
  }

  /** The unacknowledged stanzas, oldest first (the queue keeps them until acknowledged). */
  items(): readonly OutboundXml[] {
    return this.#items;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): OutboundXml[] {
    const items = this.#items;
    this.#acked = this.sent;
    this.#items = [];
    return items;
  }
}
