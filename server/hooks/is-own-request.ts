/** Which stanza events are an account's requests about itself (roster, blocklist, private data). */
import type { StanzaEvent } from './events.js';

/**
 * A request sent by one of the account's own resources to the account: its bare JID, or no `to`
 * at all, which the router reads as the sender's bare JID (RFC 6120 §10.3.3, RFC 6121 §2.1.3).
 * A server-generated stanza (no `origin`) is never one.
 */
export function isOwnRequest(event: StanzaEvent): boolean {
  return event.origin !== undefined && event.from.bare().equals(event.to.bare());
}
