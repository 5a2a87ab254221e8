/**
 * Where a hibernating session writes (XEP-0198 §5): nowhere. Each stanza is already kept in the
 * session's unacknowledged queue, which a resumption redelivers. Closing it ends the session for
 * good (expiry, a new session taking its resource, shutdown).
 */
import type { StreamError } from '../../errors/index.js';
import type { SessionTransport } from '../../session/index.js';
import type { SessionOutput } from '../c2s-session.js';

/** What a hibernating session still reports of the stream it lost. */
type LostStream = Pick<SessionOutput, 'secure' | 'transport' | 'clientAddress'>;

export class HibernatedOutput implements SessionOutput {
  readonly secure: boolean;
  readonly transport: SessionTransport;
  readonly clientAddress: string;
  readonly #end: (error: StreamError | undefined) => void;
  #ended = false;

  constructor(lost: LostStream, end: (error: StreamError | undefined) => void) {
    this.secure = lost.secure;
    this.transport = lost.transport;
    this.clientAddress = lost.clientAddress;
    this.#end = end;
  }

  get closed(): boolean {
    return this.#ended;
  }

  write(): boolean {
    return !this.#ended;
  }

  close(error?: StreamError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#end(error);
  }

  abort(): void {
    this.close();
  }
}
