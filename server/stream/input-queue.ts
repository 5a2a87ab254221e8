/**
 * The input of one stream that waits while an earlier stanza is being handled (a SASL step, a
 * pre-join check, a roster fetch): first in, first out, bounded in stanzas and in bytes. When it
 * is full the stream stops reading from its transport (TCP back-pressure; a WebSocket is paused;
 * BOSH requests wait) and reads again once it has drained to half, so a client that sends faster
 * than its stanzas are handled is slowed down instead of buffered without bound. Input already
 * read when reading stops (the rest of one TCP read, one WebSocket message, one BOSH body) still
 * joins the queue; only beyond `OVERFLOW_BYTES` more than the limit (a transport that kept
 * reading) is the stream closed.
 *
 * A message that left the queue but still waits for its archive commit while the stream goes on
 * (`input-release.ts`) is held: it keeps its place in both bounds until it has been handled, so
 * the stanzas a stream has in memory, waiting or held, stay within the same limits.
 */

/** How far past its byte limit the queue may grow with input that was already read. */
export const OVERFLOW_BYTES = 1024 * 1024;

export interface InputQueueLimits {
  /** Waiting stanzas at which reading stops. */
  readonly stanzas: number;
  /** Waiting bytes (`estimateElementBytes`) at which reading stops (`c2s_input_queue_limit`). */
  readonly bytes: number;
}

export class InputQueue<T> {
  readonly #limits: InputQueueLimits;
  #items: T[] = [];
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #peakBytes = 0;
  #heldStanzas = 0;
  #heldBytes = 0;

  constructor(limits: InputQueueLimits) {
    this.#limits = limits;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Estimated bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Stanzas held (see the file comment). */
  get held(): number {
    return this.#heldStanzas;
  }

  /** Reading should stop. */
  get isFull(): boolean {
    return this.length + this.#heldStanzas >= this.#limits.stanzas || this.#bytes + this.#heldBytes >= this.#limits.bytes;
  }

  /** Reading may start again: at most half of either limit is waiting or held. */
  get hasRoom(): boolean {
    return this.length + this.#heldStanzas <= this.#limits.stanzas / 2 && this.#bytes + this.#heldBytes <= this.#limits.bytes / 2;
  }

  /** More is waiting than any transport that stopped reading could have delivered. */
  get isOverflowing(): boolean {
    return this.#bytes + this.#heldBytes > this.#limits.bytes + OVERFLOW_BYTES;
  }

  /** Another stanza may be held: what is held is below both limits. */
  get mayHold(): boolean {
    return this.#heldStanzas < this.#limits.stanzas && this.#heldBytes < this.#limits.bytes;
  }

  /** A stanza taken from the queue (or never queued) stays in memory while the stream goes on. */
  hold(bytes: number): void {
    this.#heldStanzas++;
    this.#heldBytes += bytes;
  }

  /** A held stanza has been handled; `bytes` as given to `hold`. */
  letGo(bytes: number): void {
    this.#heldStanzas--;
    this.#heldBytes -= bytes;
  }

  push(item: T, bytes: number): void {
    this.#items.push(item);
    this.#sizes.push(bytes);
    this.#bytes += bytes;
    if (this.#bytes > this.#peakBytes) this.#peakBytes = this.#bytes;
  }

  /** The most bytes waiting at once since the last call (for the log). */
  takePeakBytes(): number {
    const peak = this.#peakBytes;
    this.#peakBytes = this.#bytes;
    return peak;
  }

  /** The next item, left in the queue. */
  peek(): T | undefined {
    return this.#head === this.#items.length ? undefined : this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head]!;
    this.#bytes -= this.#sizes[this.#head]!;
    this.#head++;
    // Drop the consumed front once it is half the array, so each item is moved at most once on average.
    if (this.#head === this.#items.length) {
      this.clear();
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Drops what waits; held stanzas stay counted until they are let go. */
  clear(): void {
    this.#items.length = 0;
    this.#sizes.length = 0;
    this.#head = 0;
    this.#bytes = 0;
  }
}
