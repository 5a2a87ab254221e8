/** The `Session` of a client stream once it has bound a resource. */
import type { Element } from 'ltx';
import type { StreamError } from '../errors/index.js';
import type { Jid } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { Session } from '../session/index.js';

/** The part of the stream a session writes through. */
export interface SessionOutput {
  writeStanza(xml: string): boolean;
  close(error?: StreamError): void;
  /** Drops the transport without output. */
  abort(): void;
  readonly closed: boolean;
  readonly secure: boolean;
}

export class C2sSession implements Session {
  readonly id: string;
  readonly jid: Jid;
  readonly logger: Logger;
  presence: Element | undefined = undefined;
  priority = 0;
  rosterInterested = false;
  readonly directedPresence = new Set<string>();
  readonly #output: SessionOutput;

  constructor(id: string, jid: Jid, output: SessionOutput, logger: Logger) {
    this.id = id;
    this.jid = jid;
    this.#output = output;
    this.logger = logger;
  }

  get secure(): boolean {
    return this.#output.secure;
  }

  get closed(): boolean {
    return this.#output.closed;
  }

  send(stanza: Element): boolean {
    return this.#output.writeStanza(stanza.toString());
  }

  sendRaw(xml: string): boolean {
    return this.#output.writeStanza(xml);
  }

  close(error?: StreamError): void {
    this.#output.close(error);
  }

  abort(): void {
    this.#output.abort();
  }
}
