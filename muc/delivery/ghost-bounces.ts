/**
 * "Ghost" occupants (XEP-0045 §18.1 note; Prosody's kickable errors): an error bounced back by an
 * occupant's session for something the room sent means the session is gone or broken. The session
 * leaves the room; the last session of an occupant takes it out with status 333 (§11.1).
 */
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { evictOccupant, leaveSession } from '../joining/occupant-leave.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { MucStatus } from '../rooms/status-codes.js';

/** Conditions that mean the recipient is unreachable rather than that it disliked the stanza. */
const KICKABLE = new Set([
  'gone', 'internal-server-error', 'item-not-found', 'jid-malformed', 'recipient-unavailable',
  'redirect', 'remote-server-not-found', 'remote-server-timeout', 'service-unavailable',
]);

/** The defined condition of an error stanza; `malformed` when it has none. */
export function errorCondition(event: StanzaEvent): string {
  const error = event.stanza.getChild('error');
  const condition = error?.children.find((child) => typeof child !== 'string' && child.attrs.xmlns === NS.stanzas && child.name !== 'text');
  return typeof condition === 'object' ? condition.name : 'malformed';
}

/** Removes the session that bounced an error of a kickable kind. */
export function removeBouncingSession(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, event: StanzaEvent): void {
  const condition = errorCondition(event);
  if (condition !== 'malformed' && !KICKABLE.has(condition)) return;
  if (occupant.sessions.size > 1) {
    leaveSession(engine, room, occupant, event.from, { reason: 'error', notifySelf: false });
    return;
  }
  evictOccupant(engine, room, occupant, { codes: [MucStatus.RemovedByError], reason: 'error', text: 'This participant is kicked from the room because of an error' });
}
