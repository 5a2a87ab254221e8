/** The `Session` of a client stream once it has bound a resource. */
import { clone, type Element } from 'ltx';
import { ok, type Result, type StreamError } from '../errors/index.js';
import { parseJid, type Jid, type JidProblem } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { OutboundXml, OutgoingStanza, OutputFilter, Session, SessionTransport, StanzaShape } from '../session/index.js';
import { outboundText } from '../session/index.js';
import { parseXmlFragment, serializeElement } from '../xml/index.js';
import type { ServerStats } from '../stats/index.js';
import type { StreamManagement } from './stream-management/stream-management.js';

/** The part of the stream a session writes through. */
export interface SessionOutput {
  /** Writes one serialised top-level element; false once the stream is closed. */
  write(xml: OutboundXml): boolean;
  close(error?: StreamError): void;
  /** Drops the transport without output. */
  abort(): void;
  readonly closed: boolean;
  readonly secure: boolean;
  readonly transport: SessionTransport;
  /** The client's address on this stream (see `Session.clientAddress`). */
  readonly clientAddress: string;
}

export class C2sSession implements Session {
  readonly id: string;
  readonly jid: Jid;
  readonly logger: Logger;
  // A session is made when its resource is bound.
  readonly boundAt = Date.now();
  presence: Element | undefined = undefined;
  priority = 0;
  rosterInterested = false;
  readonly directedPresence = new Set<string>();
  /** The stream this session writes to; swapped when it hibernates and when it is resumed (XEP-0198). */
  #output: SessionOutput;
  /** Stream management once the client enabled it: counts and keeps what goes out, below every filter. */
  #sm: StreamManagement | undefined;
  #writtenBeforeSm = 0;
  /** The last `to` this client addressed and its parsed JID (see `parseTo`). */
  #lastToText: string | undefined;
  #lastTo: Jid | undefined;
  /** Output filters in the order added; empty for almost every session, so writes skip them. */
  #filters: OutputFilter[] = [];
  /** Counts each stanza written (`salon_mod_c2s__stanzas_out_total`). */
  readonly #stats: ServerStats;

  constructor(id: string, jid: Jid, output: SessionOutput, logger: Logger, stats: ServerStats) {
    this.id = id;
    this.jid = jid;
    this.#output = output;
    this.logger = logger;
    this.#stats = stats;
  }

  get secure(): boolean {
    return this.#output.secure;
  }

  get closed(): boolean {
    return this.#output.closed;
  }

  // Read from the output, like `secure`: a resumption moves the session to another stream, and
  // nothing on the write path pays for it.
  get transport(): SessionTransport {
    return this.#output.transport;
  }

  get clientAddress(): string {
    return this.#output.clientAddress;
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
    if (this.#filters.length === 0) {
      const xml = serializeElement(stanza);
      return this.#toStream(xml);
    }
    return this.#filtered(this.#filters, 0, new ElementOutgoing(stanza));
  }

  sendRaw(xml: OutboundXml, stanza?: StanzaShape): boolean {
    if (this.#filters.length === 0) return this.#toStream(xml);
    return this.#filtered(this.#filters, 0, new RawOutgoing(xml, stanza));
  }

  /** Stream management of this session, once enabled. */
  get streamManagement(): StreamManagement | undefined {
    return this.#sm;
  }

  enableStreamManagement(sm: StreamManagement): void {
    this.#sm = sm;
  }

  /** Stanzas written before stream management was enabled (see `StreamManagement.acknowledged`). */
  get writtenBeforeStreamManagement(): number {
    return this.#writtenBeforeSm;
  }

  /** Writes one stanza below the filters: counted and queued by stream management once enabled. */
  #toStream(xml: OutboundXml): boolean {
    this.#stats.stanzaOut(xml);
    if (this.#sm !== undefined) return this.#sm.sent(xml);
    this.#writtenBeforeSm++;
    return this.#output.write(xml);
  }

  /** The stream this session writes to now. */
  get output(): SessionOutput {
    return this.#output;
  }

  /**
   * Moves the session to another stream (hibernation, resumption); returns the one it left.
   * Everything keyed by the session object (presence, rooms, carbons, CSI) stays as it is.
   */
  replaceOutput(output: SessionOutput): SessionOutput {
    const previous = this.#output;
    this.#output = output;
    return previous;
  }

  /** Writes to the stream without counting (stream management's own elements, redelivery). */
  writeUncounted(xml: OutboundXml): boolean {
    return this.#output.write(xml);
  }

  addOutputFilter(filter: OutputFilter): () => void {
    // A new array each time: a write in progress keeps walking the list it started with.
    this.#filters = [...this.#filters, filter];
    return () => {
      this.#filters = this.#filters.filter((f) => f !== filter);
    };
  }

  /** Runs `stanza` through `filters` from `index` on (the list as it was when the write began). */
  #filtered(filters: readonly OutputFilter[], index: number, stanza: OutgoingStanza): boolean {
    const filter = filters[index];
    if (filter === undefined) return this.#toStream(stanza.xml);
    return filter(stanza, (passed) => this.#filtered(filters, index + 1, passed));
  }

  close(error?: StreamError): void {
    this.#output.close(error);
  }

  abort(): void {
    this.#output.abort();
  }
}

/** A stanza written with `send`: serialised once, when a filter or the stream asks for the bytes. */
class ElementOutgoing implements OutgoingStanza {
  readonly #stanza: Element;
  #xml: string | undefined;

  constructor(stanza: Element) {
    this.#stanza = stanza;
  }

  get name(): string {
    return this.#stanza.name;
  }

  get type(): string | undefined {
    return this.#stanza.attrs.type as string | undefined;
  }

  get xml(): OutboundXml {
    this.#xml ??= serializeElement(this.#stanza);
    return this.#xml;
  }

  element(): Element {
    return clone(this.#stanza);
  }
}

/** Generous limits for re-reading bytes this server serialised itself. */
const OWN_OUTPUT_LIMITS = { maxStanzaBytes: 64 * 1024 * 1024, maxDepth: 1000, maxAttributes: 10_000 };

/** A stanza written with `sendRaw`; parsed only if a filter needs the element and no shape came with it. */
class RawOutgoing implements OutgoingStanza {
  readonly xml: OutboundXml;
  readonly #shape: StanzaShape | undefined;
  #parsed: Element | undefined;

  constructor(xml: OutboundXml, shape: StanzaShape | undefined) {
    this.xml = xml;
    this.#shape = shape;
  }

  get name(): string {
    return this.#shape?.name ?? this.#element().name;
  }

  get type(): string | undefined {
    return this.#shape !== undefined ? this.#shape.type : (this.#element().attrs.type as string | undefined);
  }

  element(): Element {
    return this.#shape?.element() ?? clone(this.#element());
  }

  #element(): Element {
    if (this.#parsed === undefined) {
      const parsed = parseXmlFragment(outboundText(this.xml), OWN_OUTPUT_LIMITS);
      if (!parsed.ok) throw new Error(`own output is not one element: ${parsed.error.message}`); // a bug, never input
      this.#parsed = parsed.value.element;
    }
    return this.#parsed;
  }
}
