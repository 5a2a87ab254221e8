/**
 * Measures a stream's input against the stanza size limit as it is read (RFC 6120 §13.12):
 * the prolog with the root's start tag, each stanza from `<` to its end tag, and any markup
 * between stanzas are counted regions, in UTF-8 bytes as Prosody's `c2s_stanza_size_limit`
 * means them. Whitespace between stanzas is never counted, so keepalives are no size problem.
 */
import { StreamError } from '../errors/index.js';

const NO_REGION = -1;

/** Byte accounting of one stream; every method returns the limit error it found. */
export class InputMeter {
  /** Byte offset where the counted region began; the prolog region starts the stream. */
  #regionStart = 0;
  #isRootOpen = false;

  /** The root's start tag ended at byte `endBytes`: the prolog region closes. */
  openRoot(endBytes: number, maxBytes: number): StreamError | undefined {
    if (endBytes > maxBytes) return new StreamError('policy-violation', 'Stream header too large');
    this.#isRootOpen = true;
    this.#regionStart = NO_REGION;
    return undefined;
  }

  /** A stanza's start tag began at byte `startBytes`. */
  beginStanza(startBytes: number): void {
    this.#regionStart = startBytes;
  }

  /** A stanza's end tag ended at byte `endBytes`. */
  endStanza(endBytes: number, maxBytes: number): StreamError | undefined {
    if (endBytes - this.#regionStart > maxBytes) return new StreamError('policy-violation', 'Stanza too large');
    this.#regionStart = NO_REGION;
    return undefined;
  }

  /**
   * A slice of input was read up to byte `readBytes`, and `pendingBytes` more are held in a
   * token cut off by its end (which, between stanzas, opens a region of its own).
   */
  endSlice(readBytes: number, pendingBytes: number, maxBytes: number): StreamError | undefined {
    const regionStart = this.#regionStart === NO_REGION ? readBytes : this.#regionStart;
    if (readBytes + pendingBytes - regionStart <= maxBytes) return undefined;
    return new StreamError('policy-violation', this.#isRootOpen ? 'Stanza too large' : 'Stream header too large');
  }

  reset(): void {
    this.#regionStart = 0;
    this.#isRootOpen = false;
  }
}
