/**
 * The routing-relevant part of a client's own presence (RFC 6121 §4.7.2.3): availability and
 * priority. Kept by the core because bare-JID delivery depends on it.
 */
import type { Element } from 'ltx';
import type { Session } from '../session/index.js';

/** RFC 6121 §4.7.2.3: an integer from -128 to +127; absent or invalid means 0. */
export function presencePriority(presence: Element): number {
  const text = presence.getChildText('priority');
  if (text === null) return 0;
  const value = Number.parseInt(text.trim(), 10);
  if (!Number.isFinite(value)) return 0;
  return Math.max(-128, Math.min(127, value));
}

/** Applies a broadcast presence (no `to`) to the session's state. */
export function applyOwnPresence(session: Session, presence: Element): void {
  const type = presence.attrs.type as string | undefined;
  if (type === undefined) {
    session.presence = presence;
    session.priority = presencePriority(presence);
  } else if (type === 'unavailable') {
    session.presence = undefined;
    session.priority = 0;
  }
}
