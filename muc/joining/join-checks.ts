/**
 * The built-in admission rules of XEP-0045 §7.2, run in order after the `muc-occupant-pre-join`
 * hook (so a hook that allows never bypasses them): ban (§7.2.7), members-only (§7.2.6), then the
 * password (`room-password.ts`), occupant limit (§7.2.10), lock (`room-locking.ts`) and nickname
 * conflict (§7.2.8, §7.2.9) checks.
 */
import type { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { isAdminOrOwner, type Affiliation } from '../rooms/roles-affiliations.js';

/** A session asking to enter a room (or an occupant asking for a new nickname). */
export interface JoinRequest {
  readonly room: ChatRoom;
  /** The real full JID of the joining session. */
  readonly user: Jid;
  /** The prepared nickname. */
  readonly nick: string;
  readonly affiliation: Affiliation;
  /** The user's occupant under this nickname, when this is another session of it. */
  readonly sameOccupant: RoomOccupant | undefined;
  /** The join's `<x xmlns='http://jabber.org/protocol/muc'/>`, if any. */
  readonly mucX: Element | undefined;
}

/** A rule refusing a join with the XEP's error, or undefined to let it pass. */
export type JoinCheck = (request: JoinRequest) => StanzaError | undefined;

/** §7.2.7: "If the user has been banned from the room … <forbidden/>". */
export const banCheck: JoinCheck = ({ room, affiliation }) =>
  affiliation === 'outcast' ? StanzaError.auth('forbidden', { text: 'You are banned from this room', by: room.address }) : undefined;

/** §7.2.6: a members-only room refuses non-members with <registration-required/>. */
export const membersOnlyCheck: JoinCheck = ({ room, affiliation }) => {
  if (!room.config.membersonly || affiliation !== 'none') return undefined;
  return StanzaError.auth('registration-required', { text: 'This room is members-only', by: room.address });
};

/** §7.2.10: a full room answers <service-unavailable/>; admins and owners may still enter. */
export const maxUsersCheck: JoinCheck = ({ room, affiliation, sameOccupant }) => {
  const limit = room.config.maxusers;
  if (limit === undefined || sameOccupant !== undefined || isAdminOrOwner(affiliation)) return undefined;
  if (room.occupantCount < limit) return undefined;
  return StanzaError.wait('service-unavailable', { text: 'This room is full', by: room.address });
};

/**
 * §7.2.8: a nickname used by another user is a <conflict/>; §7.2.9: so is one another user
 * registered. The same user may share a nickname between sessions.
 */
export const nickConflictCheck: JoinCheck = ({ room, user, nick }) => {
  const holder = room.occupantByKey(nick);
  const bare = user.bare();
  if (holder !== undefined && !holder.bareJid.equals(bare)) {
    return StanzaError.cancel('conflict', { text: 'That nickname is already in use', by: room.address });
  }
  const reservedBy = room.nickReservedBy(nick);
  if (reservedBy !== undefined && reservedBy !== bare.toString()) {
    return StanzaError.cancel('conflict', { text: 'That nickname is registered by another user', by: room.address });
  }
  return undefined;
};

/** The first failing rule's error. */
export function runJoinChecks(checks: readonly JoinCheck[], request: JoinRequest): StanzaError | undefined {
  for (const check of checks) {
    const problem = check(request);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
