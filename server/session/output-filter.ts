/**
 * Filters on what a session writes to its client, for rules that act per recipient session on
 * every stanza, whichever way it came (routed `send` or a fan-out's `sendRaw`): Client State
 * Indication holds non-urgent stanzas while the client is inactive (XEP-0352); stream management
 * counts and queues below all filters, on what actually leaves (XEP-0198).
 */
import type { Element } from 'ltx';
import type { OutboundXml } from './outbound-xml.js';

/** What a writer knows about a serialised stanza without parsing it again. */
export interface StanzaShape {
  /** `message`, `presence` or `iq`. */
  readonly name: string;
  readonly type: string | undefined;
  /** The stanza as an element: a new copy on every call (parsed from the bytes when needed). */
  element(): Element;
}

/** One stanza on its way to the client. */
export interface OutgoingStanza extends StanzaShape {
  readonly xml: OutboundXml;
}

/**
 * Sees each outgoing stanza and passes it on with `next` (now, later, or never). Returns what
 * `next` returned, or true when it kept the stanza to pass on later; false means the session is
 * closed. Filters run in the order they were added; the last `next` writes to the stream.
 */
export type OutputFilter = (stanza: OutgoingStanza, next: (stanza: OutgoingStanza) => boolean) => boolean;
