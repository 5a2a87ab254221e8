/**
 * Messages in flight in a closed-loop scenario, by sender and sequence number: when each was sent
 * and how many deliveries it still waits for. Ids are `<sender>.<sequence>`, so a delivery is
 * matched by reading two numbers out of the id where it lies in the received text, without
 * cutting a string out or hashing one.
 */

const DIGIT_0 = 0x30;
const DOT = 0x2e;

export class InFlightMessages {
  /** Messages sent that still wait for a delivery. */
  outstanding = 0;
  readonly #window: number;
  readonly #sequences: Int32Array;
  /** Per sender, a ring of `window` slots: the sequence in the slot, its send time, deliveries left. */
  readonly #slotSequence: Int32Array;
  readonly #sentAt: Float64Array;
  readonly #pending: Int32Array;

  /** `window`: messages one sender may have in flight at once (deliveries still pending). */
  constructor(senders: number, window: number) {
    this.#window = window;
    this.#sequences = new Int32Array(senders);
    this.#slotSequence = new Int32Array(senders * window).fill(-1);
    this.#sentAt = new Float64Array(senders * window);
    this.#pending = new Int32Array(senders * window);
  }

  /** Records a message of `sender` awaiting `deliveries` deliveries; returns its id. */
  send(sender: number, deliveries: number, at: number): string {
    const sequence = this.#sequences[sender]!;
    this.#sequences[sender] = sequence + 1;
    const slot = sender * this.#window + (sequence % this.#window);
    if (this.#pending[slot]! > 0) throw new Error(`sender ${sender} has more than ${this.#window} messages in flight`);
    this.#slotSequence[slot] = sequence;
    this.#sentAt[slot] = at;
    this.#pending[slot] = deliveries;
    this.outstanding++;
    return `${sender}.${sequence}`;
  }

  /** The slot of the message whose id is `text[from, to)`, or -1 when it is not one in flight. */
  find(text: string, from: number, to: number): number {
    let sender = 0;
    let at = from;
    while (at < to && text.charCodeAt(at) !== DOT) {
      const digit = text.charCodeAt(at) - DIGIT_0;
      if (digit < 0 || digit > 9) return -1;
      sender = sender * 10 + digit;
      at++;
    }
    if (at === from || at >= to - 1 || sender >= this.#sequences.length) return -1;
    let sequence = 0;
    for (at++; at < to; at++) {
      const digit = text.charCodeAt(at) - DIGIT_0;
      if (digit < 0 || digit > 9) return -1;
      sequence = sequence * 10 + digit;
    }
    const slot = sender * this.#window + (sequence % this.#window);
    return this.#slotSequence[slot] === sequence && this.#pending[slot]! > 0 ? slot : -1;
  }

  senderOf(slot: number): number {
    return Math.floor(slot / this.#window);
  }

  /** The sender's sequence number of the message in `slot` (its order among that sender's messages). */
  sequenceOf(slot: number): number {
    return this.#slotSequence[slot]!;
  }

  sentAt(slot: number): number {
    return this.#sentAt[slot]!;
  }

  /** Counts one delivery of the message in `slot`; true when it was the last one it waited for. */
  deliver(slot: number): boolean {
    const left = this.#pending[slot]! - 1;
    this.#pending[slot] = left;
    if (left === 0) this.outstanding--;
    return left === 0;
  }
}
