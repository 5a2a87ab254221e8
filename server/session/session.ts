/**
 * A bound client session as every module sees it: identity, presence state and a way to send.
 * Which transport carries it (TCP, TLS, WebSocket, BOSH) changes nothing in how it is used; it is
 * only reported (`transport`, `clientAddress`) for administration.
 */
import type { Element } from 'ltx';
import type { Jid } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { StreamError } from '../errors/index.js';
import type { OutboundXml } from './outbound-xml.js';
import type { OutputFilter, StanzaShape } from './output-filter.js';

/**
 * How a client reached the server: a c2s port (with or without STARTTLS; `secure` tells which),
 * Direct TLS (XEP-0368), WebSocket (RFC 7395), BOSH (XEP-0124/0206). The same values as the
 * metrics' `transport` label.
 */
export type SessionTransport = 'tcp' | 'direct_tls' | 'websocket' | 'bosh';

export interface Session {
  /** Unique per server process; used in logs. */
  readonly id: string;
  /** The bound full JID. */
  readonly jid: Jid;
  readonly logger: Logger;
  /** True when the stream is encrypted (TLS, or a transport the config declares secure). */
  readonly secure: boolean;
  /**
   * The transport of the stream carrying the session now: after a resumption (XEP-0198), the new
   * stream's; while hibernating, the last stream's.
   */
  readonly transport: SessionTransport;
  /**
   * The client's address (IP) for the same stream: the TCP peer, or for WebSocket and BOSH the
   * address a trusted proxy forwarded (`trusted_proxies`), else the HTTP peer.
   */
  readonly clientAddress: string;
  /** When the resource was bound (ms since the epoch); a resumed session keeps its first binding's. */
  readonly boundAt: number;
  /** The last available presence the client broadcast (RFC 6121 §4.2), or undefined before initial presence. */
  presence: Element | undefined;
  /** RFC 6121 §4.7.2.3: the priority of `presence`; 0 when absent. */
  priority: number;
  /** True once the client has requested its roster (it then receives roster pushes, RFC 6121 §2.1.6). */
  rosterInterested: boolean;
  /** Full JIDs this session sent directed presence to (RFC 6121 §4.6), cleared by unavailable. */
  readonly directedPresence: Set<string>;
  /**
   * Writes a stanza to the client, no questions asked. Returns false when the session is closed.
   * Stanzas from others reach a session through the router, or through `deliverDirect` for a
   * service's fan-out, so the recipient's inbound guards run first (the delivery rule, DESIGN.md
   * §7). Modules call this directly for the session's own traffic (replies, roster pushes) and
   * for stanzas that passed the guards when they arrived (a subscription request handled by the
   * roster, stored offline messages).
   */
  send(stanza: Element): boolean;
  /**
   * Writes already-serialised XML: text, or UTF-8 pieces a fan-out encoded once and shares among
   * its recipients (see `OutboundXml`); a service's fan-out calls it through `deliverDirect`.
   * `stanza` describes it for output filters; without it a filter that needs more than the
   * bytes parses them.
   */
  sendRaw(xml: OutboundXml, stanza?: StanzaShape): boolean;
  /**
   * Adds a filter on everything written to this client from now on (see `OutputFilter`).
   * Returns the function that removes it.
   */
  addOutputFilter(filter: OutputFilter): () => void;
  /** Closes the stream, with a stream error when given. */
  close(error?: StreamError): void;
  /**
   * Drops the transport without any closing output, as a lost network would (fault injection in
   * test fixtures); the session then ends like one whose connection died.
   */
  abort?(): void;
  /** True after the session ended; nothing more is delivered. */
  readonly closed: boolean;
}

/** An available session: initial presence sent and not yet unavailable. */
export function isAvailable(session: Session): boolean {
  return session.presence !== undefined && !session.closed;
}
