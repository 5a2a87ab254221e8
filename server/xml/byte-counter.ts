/**
 * Maps positions in the decoded stream (UTF-16 code units, as saxes counts them) to UTF-8 bytes
 * of input, so size limits are in bytes as RFC 6120 §13.12 and Prosody's
 * `c2s_stanza_size_limit` mean them. Text is fed one slice at a time; queries must not go
 * backwards, which keeps the total work linear in the input.
 */
/** UTF-8 byte offsets of stream positions, computed incrementally per slice. */
export class ByteCounter {
  #slice = '';
  #sliceStart = 0;
  #isAscii = true;
  #checkpoint = 0;
  #checkpointBytes = 0;

  /** Stream position just after the current slice. */
  get sliceEnd(): number {
    return this.#sliceStart + this.#slice.length;
  }

  /** Stream position of the current slice's first code unit. */
  get sliceStart(): number {
    return this.#sliceStart;
  }

  /** The current slice. */
  get slice(): string {
    return this.#slice;
  }

  /** Starts a slice that follows the previous one in the stream. */
  beginSlice(slice: string): void {
    this.bytesAt(this.sliceEnd);
    this.#sliceStart = this.sliceEnd;
    this.#slice = slice;
    // One native pass; for ASCII text (the usual case) positions then map to bytes for free.
    this.#isAscii = Buffer.byteLength(slice, 'utf8') === slice.length;
  }

  /** Bytes of input before stream position `position`, which lies in the current slice. */
  bytesAt(position: number): number {
    const checkpoint = this.#checkpoint;
    if (position <= checkpoint) return this.#checkpointBytes - (checkpoint - position);
    const base = this.#sliceStart;
    this.#checkpointBytes += this.#isAscii
      ? position - checkpoint
      : Buffer.byteLength(this.#slice.slice(checkpoint - base, position - base), 'utf8');
    this.#checkpoint = position;
    return this.#checkpointBytes;
  }

  /** Back to the start of a new stream. */
  reset(): void {
    this.#slice = '';
    this.#sliceStart = 0;
    this.#isAscii = true;
    this.#checkpoint = 0;
    this.#checkpointBytes = 0;
  }
}
