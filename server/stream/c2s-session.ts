/** The `Session` of a client stream once it has bound a resource. */
import type { Element } from 'ltx';
import { ok, type Result, type StreamError } from '../errors/index.js';
import { parseJid, type Jid, type JidProblem } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { OutboundXml, Session } from '../session/index.js';
import { serializeElement } from '../xml/index.js';

/** The part of the stream a session writes through. */
export interface SessionOutput {
  /** Writes one serialised top-level element; false once the stream is closed. */
  write(xml: OutboundXml): boolean;
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
  /** The last `to` this client addressed and its parsed JID (see `parseTo`). */
  #lastToText: string | undefined;
  #lastTo: Jid | undefined;

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

  /**
   * Parses the `to` of a stanza from this client. A client mostly sends runs of stanzas to the same
   * address (a chat, a room), so the last address parsed is kept and its JID reused: parsing and
   * normalising it again was a visible part of routing each message (profile of the `msg` bench).
   * Jids are immutable, so sharing one is safe.
   */
  parseTo(text: string): Result<Jid, JidProblem> {
    if (text === this.#lastToText && this.#lastTo !== undefined) return ok(this.#lastTo);
    const parsed = parseJid(text);
    if (parsed.ok) {
      this.#lastToText = text;
      this.#lastTo = parsed.value;
    }
    return parsed;
  }

  send(stanza: Element): boolean {
    return this.#output.write(serializeElement(stanza));
  }

  sendRaw(xml: OutboundXml): boolean {
    return this.#output.write(xml);
  }

  close(error?: StreamError): void {
    this.#output.close(error);
  }

  abort(): void {
    this.#output.abort();
  }
}
