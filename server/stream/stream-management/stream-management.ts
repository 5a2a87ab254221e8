/**
 * Stream management of one session (XEP-0198 §4): the count of stanzas handled from the client,
 * the stanzas written to it and not yet acknowledged, and when to ask for an acknowledgement.
 * It sits below every output filter: it counts what actually goes to the stream.
 */
import { StreamError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { OutboundXml } from '../../session/index.js';
import { NS } from '../../xml/index.js';
import { ackXml } from './sm-xml.js';
import { hDistance, nextH } from './h-counter.js';
import { redeliveryXml } from './redelivery.js';
import type { SmOptions } from './sm-options.js';
import { UnackedQueue } from './unacked-queue.js';

/** What stream management needs from its session. */
export interface ManagedSession {
  /** Writes to the session's current stream, uncounted. */
  writeUncounted(xml: OutboundXml): boolean;
  close(error?: StreamError): void;
  readonly closed: boolean;
  readonly logger: Logger;
}

export class StreamManagement {
  /** The resumption id (`<enabled id/>`), or undefined when the client did not ask for resumption. */
  readonly id: string | undefined;
  readonly options: SmOptions;
  readonly queue = new UnackedQueue();
  /** Stanzas received from the client, modulo 2^32: the `h` this server reports. */
  handled = 0;
  /** How long the session hibernates: `smacks_hibernation_time`, or less when the client asked (`max`). */
  hibernationMs: number;
  /** True while the session has no connection (its stanzas only queue). */
  hibernating = false;
  readonly #session: ManagedSession;
  /** An `<r/>` is due at the end of this turn of the event loop (one per burst of output). */
  #requestDue = false;
  /** The server's count when it last asked, while the answer is outstanding. */
  #awaiting: number | undefined;
  #askAgain: NodeJS.Timeout | undefined;
  /**
   * How far above the server's count the client's `h` may go once (see `acknowledged`): the
   * stanzas written to the stream before `<enabled/>`.
   */
  #overcountAllowance = 0;

  constructor(session: ManagedSession, id: string | undefined, options: SmOptions) {
    this.#session = session;
    this.id = id;
    this.options = options;
    this.hibernationMs = options.hibernationMs;
  }

  get resumable(): boolean {
    return this.id !== undefined;
  }

  /** One stanza from the client. */
  received(): void {
    this.handled = nextH(this.handled);
  }

  /** Counts, keeps and writes a stanza to the client (the session's way out while enabled). */
  sent(xml: OutboundXml): boolean {
    if (this.#session.closed) return false;
    this.queue.push(xml);
    if (this.queue.length > this.options.maxQueueSize) {
      // A client that acknowledges nothing for this long is gone or broken; the session ends and
      // what it did not acknowledge is reported undelivered (Prosody: smacks_max_queue_size).
      this.#session.close(new StreamError('resource-constraint', 'Too many unacknowledged stanzas'));
      return false;
    }
    if (this.hibernating) return true;
    const written = this.#session.writeUncounted(xml);
    if (!this.#requestDue && this.#awaiting === undefined && this.queue.length > this.options.maxUnacked) this.#scheduleRequest();
    return written;
  }

  /** The client's `<a h/>`: drops what it handled; a problem is returned for the stream to close. */
  /** Stanzas written before `<enabled/>` that a client may count by mistake (see `acknowledged`). */
  allowOvercount(stanzas: number): void {
    this.#overcountAllowance = stanzas;
  }

  /**
   * The client's `<a h/>`. An `h` above what was sent is a protocol error (XEP-0198 §4), except
   * when the excess is no more than the stanzas written just before `<enabled/>`: xmpp.js
   * (`@xmpp/stream-management` 0.14) can count a stanza that arrived right before `<enabled/>`
   * after resetting its counter, and answers one too many from then on. As ejabberd does, the
   * server then takes the client's count as its own (logged), once; the client lost nothing.
   */
  acknowledged(h: number): ReturnType<UnackedQueue['ack']> {
    let problem = this.queue.ack(h);
    if (problem?.kind === 'too-high' && hDistance(problem.sent, h) <= this.#overcountAllowance) {
      this.#overcountAllowance = 0;
      this.#session.logger.warn({ h, sent: problem.sent }, 'client acknowledged stanzas sent before stream management was enabled; taking its count');
      this.queue.adopt(h);
      problem = undefined;
    }
    if (problem !== undefined) return problem;
    // Any valid answer shows the client reads; what was written since is asked about again.
    this.#answered();
    if (!this.hibernating && this.queue.length > this.options.maxUnacked) this.#scheduleRequest();
    return undefined;
  }

  /**
   * Before the unacknowledged stanzas go out again on resumption: each message and presence says
   * when it was first queued (`redelivery.ts`). The queue keeps the stamped bytes, so a second
   * resumption sends the same ones; `h` is unchanged (the same stanzas, one for one).
   */
  prepareRedelivery(account: string): void {
    this.queue.prepare((item) => redeliveryXml(item, account));
  }

  /** After resumption: asks for an acknowledgement of what was redelivered. */
  resumed(): void {
    this.hibernating = false;
    this.#answered();
    if (this.queue.length > 0) this.#scheduleRequest();
  }

  /** No more requests (the session hibernates or ends). */
  stop(): void {
    this.#answered();
    this.#requestDue = false;
  }

  /** The last `<a/>` before the stream closes (XEP-0198 §4, version 1.5.2). */
  finalAck(): string {
    return ackXml(this.handled);
  }

  #answered(): void {
    this.#awaiting = undefined;
    if (this.#askAgain !== undefined) clearTimeout(this.#askAgain);
    this.#askAgain = undefined;
  }

  #scheduleRequest(): void {
    if (this.#requestDue) return;
    this.#requestDue = true;
    setImmediate(() => {
      this.#requestDue = false;
      if (this.hibernating || this.#session.closed || this.#awaiting !== undefined || this.queue.length === 0) return;
      this.#request();
    });
  }

  #request(): void {
    this.#awaiting = this.queue.sent;
    this.#session.writeUncounted(`<r xmlns='${NS.sm}'/>`);
    if (this.options.ackDelayMs === 0) return;
    this.#askAgain = setTimeout(() => {
      this.#askAgain = undefined;
      if (this.hibernating || this.#session.closed || this.#awaiting === undefined) return;
      this.#request();
    }, this.options.ackDelayMs);
    this.#askAgain.unref();
  }
}
