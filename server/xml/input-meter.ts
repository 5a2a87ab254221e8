/**
 * Measures a stream's input against the stanza size limit as it is read (RFC 6120 §13.12):
 * the prolog with the root's start tag, each stanza from `<` to its end tag, and any markup
 * between stanzas are counted regions. Whitespace between stanzas is checked on the raw input
 * and never counted, so keepalives are neither buffered nor a size problem.
 */
import { StreamError } from '../errors/index.js';
import { ByteCounter } from './byte-counter.js';

const LESS_THAN = 0x3c;
const NO_REGION = -1;

/** The four characters XML counts as whitespace (XML 1.0 §2.3 production S). */
function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** RFC 6120 §4.9.3.1: only whitespace may stand between stanzas. */
export function betweenStanzasError(): StreamError {
  return new StreamError('bad-format', 'Character data between stanzas');
}

/** Byte accounting of one stream; every method returns the limit or format error it found. */
export class InputMeter {
  readonly #bytes = new ByteCounter();
  /** Byte offset where the counted region began; the prolog region starts the stream. */
  #regionStart = 0;
  #rootOpen = false;
  /** Stream position from which text between stanzas is still to be checked. */
  #gapPos = 0;

  /** The next slice of decoded input, as given to saxes. */
  beginSlice(slice: string): void {
    this.#bytes.beginSlice(slice);
  }

  /** The root's start tag ended at `position`: the prolog region closes. */
  openRoot(position: number, maxBytes: number): StreamError | undefined {
    if (this.#bytes.bytesAt(position) > maxBytes) return new StreamError('policy-violation', 'Stream header too large');
    this.#rootOpen = true;
    this.#regionStart = NO_REGION;
    this.#gapPos = position;
    return undefined;
  }

  /** A stanza's start tag is being read at `position`: its region starts at its `<`. */
  beginStanza(position: number): StreamError | undefined {
    return this.#regionStart === NO_REGION ? this.#scanGap(position) : undefined;
  }

  /** A stanza's end tag ended at `position`. */
  endStanza(position: number, maxBytes: number): StreamError | undefined {
    if (this.#bytes.bytesAt(position) - this.#regionStart > maxBytes) return new StreamError('policy-violation', 'Stanza too large');
    this.#regionStart = NO_REGION;
    this.#gapPos = position;
    return undefined;
  }

  /** The root's end tag is being read at `position`: text before it is checked. */
  closeRoot(position: number): StreamError | undefined {
    const error = this.#regionStart === NO_REGION ? this.#scanGap(position) : undefined;
    this.#rootOpen = false;
    return error;
  }

  /** All of the current slice was read: checks what it added. */
  endSlice(maxBytes: number): StreamError | undefined {
    const end = this.#bytes.sliceEnd;
    if (this.#regionStart === NO_REGION) {
      const error = this.#scanGap(end);
      if (error !== undefined || this.#regionStart === NO_REGION) return error;
    }
    if (this.#bytes.bytesAt(end) - this.#regionStart <= maxBytes) return undefined;
    return new StreamError('policy-violation', this.#rootOpen ? 'Stanza too large' : 'Stream header too large');
  }

  reset(): void {
    this.#bytes.reset();
    this.#regionStart = 0;
    this.#rootOpen = false;
    this.#gapPos = 0;
  }

  /** Checks raw input between stanzas up to `until`; a `<` opens a counted region. */
  #scanGap(until: number): StreamError | undefined {
    const bytes = this.#bytes;
    const slice = bytes.slice;
    const base = bytes.sliceStart;
    const end = until - base;
    for (let i = Math.max(0, this.#gapPos - base); i < end; i++) {
      const code = slice.charCodeAt(i);
      if (isXmlSpace(code)) continue;
      if (code !== LESS_THAN) return betweenStanzasError();
      this.#regionStart = bytes.bytesAt(base + i);
      return undefined;
    }
    this.#gapPos = until;
    return undefined;
  }
}
