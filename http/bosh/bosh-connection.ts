/**
 * The `StreamConnection` of a BOSH session (XEP-0206): what the shared `XmppStream` writes is
 * queued until a held HTTP request carries it out; the stream's end becomes a terminating
 * `<body/>`. Input does not pass through here: the session feeds the stream parsed payloads.
 */
import type { OutboundXml } from '../../server/session/index.js';
import { NS, type XmlLimits } from '../../server/xml/index.js';
import { framedText, isStreamErrorText, WebClientConnection } from '../web-clients/web-client-connection.js';

/** XEP-0124 §17: stream conditions that have a binding condition of the same meaning. */
const DIRECT_CONDITIONS = new Set(['host-unknown', 'system-shutdown', 'policy-violation', 'improper-addressing']);
const CONDITION_PATTERN = new RegExp(`<([a-z-]+) xmlns='${NS.streams}'`);

/** How the stream ended, as a terminating body says it. */
export interface Termination {
  /** The binding condition; undefined for a clean end. */
  readonly condition: string | undefined;
  /** `<stream:error/>` for `remote-stream-error` (XEP-0206 §7), else empty. */
  readonly payload: string;
}

/** What the session hears from its connection. */
export interface ConnectionEvents {
  /** Output is waiting. */
  outputReady(): void;
  /** The stream ended (or was dropped); no more output follows. */
  ended(termination: Termination): void;
  /** The stream's input queue is full (true) or has room again (false). */
  inputPaused(paused: boolean): void;
}

export class BoshConnection extends WebClientConnection {
  #events: ConnectionEvents | undefined;
  #queue: string[] = [];
  #bytes = 0;
  #streamId: string | undefined;
  #streamError: string | undefined;
  #ended = false;

  constructor(remoteAddress: string, secure: boolean, limits: XmlLimits) {
    super('BOSH', remoteAddress, secure, limits);
  }

  listen(events: ConnectionEvents): void {
    this.#events = events;
  }

  /** The id of the XML stream (the creation response's `authid`). */
  get streamId(): string | undefined {
    return this.#streamId;
  }

  get bufferedBytes(): number {
    return this.#bytes;
  }

  get hasOutput(): boolean {
    return this.#queue.length > 0;
  }

  /** Everything queued, serialised, and the queue emptied. */
  take(): string {
    const output = this.#queue.join('');
    this.#queue = [];
    this.#bytes = 0;
    return output;
  }

  /** There is no stream header on the wire in BOSH; its id goes into the session's attributes. */
  openStream(attrs: Record<string, string>): void {
    this.#streamId ??= attrs.id;
  }

  write(outbound: OutboundXml): boolean {
    if (this.#ended) return false;
    const framed = framedText(outbound);
    if (isStreamErrorText(framed)) {
      // It goes into the terminating body (XEP-0206 §7).
      this.#streamError = framed;
      return true;
    }
    this.#queue.push(framed);
    this.#bytes += framed.length;
    this.#events?.outputReady();
    return true;
  }

  closeStream(): void {
    this.#end(this.#termination());
  }

  /** Requests wait in the session while the stream's input queue is full. */
  pauseInput(): void {
    this.#events?.inputPaused(true);
  }

  resumeInput(): void {
    this.#events?.inputPaused(false);
  }

  /** The stream drops a peer only when its send queue overflows (a slow reader). */
  destroy(): void {
    this.#end({ condition: 'policy-violation', payload: '' });
  }

  #termination(): Termination {
    const error = this.#streamError;
    if (error === undefined) return { condition: undefined, payload: '' };
    const condition = CONDITION_PATTERN.exec(error)?.[1];
    if (condition !== undefined && DIRECT_CONDITIONS.has(condition)) return { condition, payload: '' };
    return { condition: 'remote-stream-error', payload: error };
  }

  #end(termination: Termination): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#events?.ended(termination);
  }
}
