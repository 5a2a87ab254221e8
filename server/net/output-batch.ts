/**
 * The output of one socket, gathered during a turn of the event loop and written as one chunk
 * once the turn's I/O callbacks have run (`setImmediate`). Stanzas for one client that arrive
 * from several senders in one turn (a room's fan-out, many chats) then cost one system call
 * instead of one each; corking until `process.nextTick` only joined the writes of one input chunk.
 */
import type { OutboundXml } from '../session/index.js';

/** Batches with output waiting, flushed together. */
let waiting: OutputBatch[] = [];

function flushWaiting(): void {
  const batches = waiting;
  waiting = [];
  for (const batch of batches) batch.flush();
}

export class OutputBatch {
  readonly #send: (chunk: string | Buffer) => void;
  #parts: (string | Uint8Array)[] = [];
  #length = 0;
  #hasBytes = false;

  /** `send` writes one chunk to the socket. */
  constructor(send: (chunk: string | Buffer) => void) {
    this.#send = send;
  }

  /** What is waiting: characters of text plus bytes of encoded pieces (like a socket's `writableLength`). */
  get length(): number {
    return this.#length;
  }

  add(xml: OutboundXml): void {
    if (this.#parts.length === 0) {
      if (waiting.length === 0) setImmediate(flushWaiting);
      waiting.push(this);
    }
    if (typeof xml === 'string') {
      this.#parts.push(xml);
      this.#length += xml.length;
      return;
    }
    for (const piece of xml) {
      this.#parts.push(piece);
      this.#length += piece.byteLength;
    }
    this.#hasBytes = true;
  }

  /** Writes what is waiting now (before the stream ends or TLS takes the socket over). */
  flush(): void {
    const parts = this.#parts;
    if (parts.length === 0) return;
    const hasBytes = this.#hasBytes;
    this.#parts = [];
    this.#length = 0;
    this.#hasBytes = false;
    if (!hasBytes) this.#send(parts.length === 1 ? (parts[0] as string) : parts.join(''));
    else this.#send(joinParts(parts));
  }

  /** Forgets what is waiting (the socket is gone). */
  clear(): void {
    this.#parts = [];
    this.#length = 0;
    this.#hasBytes = false;
  }
}

/**
 * Text and bytes as one buffer (text parts of `parts` are replaced by their bytes). `Buffer.concat`
 * copies pieces faster than a loop of `set` calls
 * (measured); text, rare in a batch that holds pieces, is encoded on its own first.
 */
export function joinParts(parts: (string | Uint8Array)[]): Buffer {
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') parts[i] = Buffer.from(part, 'utf8');
  }
  return Buffer.concat(parts as Uint8Array[]);
}
