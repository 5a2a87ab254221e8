/**
 * Which occupants a kick by real JID removes (pure): every nickname the user is in the room
 * under, matched on the bare JID (a user may have joined from several clients with several nicks).
 */
import type { Occupant } from '../../muc/index.js';
import type { Jid } from '../../server/jid/index.js';

export function nicksOfUser(occupants: readonly Occupant[], user: Jid): string[] {
  const bare = user.bare();
  return occupants.filter((occupant) => occupant.bareJid.equals(bare)).map((occupant) => occupant.nick);
}
