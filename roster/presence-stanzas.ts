/**
 * Presence stanzas the server sends on a user's behalf (RFC 6121 §3, §4): copies of a resource's
 * last broadcast presence, unavailable notifications, probes and subscription stanzas.
 */
import { Element, clone } from 'ltx';
import type { Session } from '../server/session/index.js';

/** The presence types the server itself originates. */
export type ServerPresenceType = 'unavailable' | 'probe' | 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

/**
 * The session's last broadcast presence (RFC 6121 §4.2, §4.4) from its full JID to `to`, with
 * every child the client put in it; undefined when the session is not available.
 */
export function presenceOfSession(session: Session, to: string): Element | undefined {
  if (session.presence === undefined || session.closed) return undefined;
  const copy = clone(session.presence);
  copy.attrs.from = session.jid.toString();
  copy.attrs.to = to;
  return copy;
}

/** `<presence type='…' from='…' to='…'/>`. */
export function typedPresence(type: ServerPresenceType, from: string, to: string): Element {
  return new Element('presence', { type, from, to });
}

/**
 * A copy of `stanza` readdressed: subscription stanzas travel between bare JIDs (RFC 6121 §3.1.2
 * has the user's server stamp the bare JID), keeping the client's id and children.
 */
export function readdressed(stanza: Element, from: string, to: string): Element {
  const copy = clone(stanza);
  copy.attrs.from = from;
  copy.attrs.to = to;
  return copy;
}
