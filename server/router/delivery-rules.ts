/**
 * RFC 6121 §8.5: which of an account's sessions receive a stanza addressed to the bare JID.
 * Pure functions over the session list, so the rules can be tested without sockets.
 */
import type { Session } from '../session/index.js';

/** Available with non-negative priority (negative priority never gets bare-JID messages, §4.7.2.3). */
function isDeliverable(s: Session): boolean {
  return s.presence !== undefined && !s.closed && s.priority >= 0;
}

/** Available sessions with non-negative priority. */
export function deliverableSessions(sessions: readonly Session[]): Session[] {
  const result: Session[] = [];
  for (const s of sessions) if (isDeliverable(s)) result.push(s);
  return result;
}

/** §8.5.2.1.1: chat/normal go to the highest-priority available resources (all of them on a tie). */
export function highestPrioritySessions(sessions: readonly Session[]): Session[] {
  // One pass over the account's sessions: this runs for every chat message to a bare JID.
  let best = -1;
  let result: Session[] = [];
  for (const s of sessions) {
    if (!isDeliverable(s)) continue;
    if (s.priority > best) {
      best = s.priority;
      result = [s];
    } else if (s.priority === best) {
      result.push(s);
    }
  }
  return result;
}

/** §8.5.2.1.2 and §4.2.2: presence to a bare JID goes to every available resource. */
export function availableSessions(sessions: readonly Session[]): Session[] {
  return sessions.filter((s) => s.presence !== undefined && !s.closed);
}
