/**
 * What a session receives when it enters a room, in the order of XEP-0045 §7.2: the presence of
 * every occupant already there (§7.2.3), the new occupant's presence to the others, its own
 * presence with status 110 last of all presences (§7.2.2), then the discussion history with delay
 * stamps (§7.2.13, §7.2.14) and finally the subject (§7.2.15).
 */
import type { ChatRoom } from '../rooms/chat-room.js';
import { selectHistory, type HistoryRequest } from '../delivery/history.js';
import { broadcastToOthers, isBroadcastRole, sendPresenceTo, sendSelfPresence } from '../delivery/presence-broadcast.js';
import { sendElement, sendXml } from '../delivery/shared-stanza.js';
import { isNonAnonymous } from '../configuration/room-config.js';
import type { OccupantSession, RoomOccupant } from '../rooms/room-occupant.js';
import { subjectMessage } from '../delivery/room-subject.js';
import { MucStatus, type MucStatusCode } from '../rooms/status-codes.js';

/** What the joining session is told besides the occupant list. */
export interface JoinDelivery {
  /** False for another session of an occupant already present: others see nothing new. */
  readonly isNewOccupant: boolean;
  /** §10.1.1: the join created the room (status 201). */
  readonly created: boolean;
  /** §7.2.2: the service modified the nickname (status 210). */
  readonly nickModified: boolean;
  readonly history: HistoryRequest;
}

/** The codes of the self-presence besides 110: 100 (non-anonymous), 201, 210. */
function selfCodes(room: ChatRoom, delivery: JoinDelivery): MucStatusCode[] {
  const codes: MucStatusCode[] = [];
  if (isNonAnonymous(room.config)) codes.push(MucStatus.NonAnonymous);
  if (delivery.created) codes.push(MucStatus.RoomCreated);
  if (delivery.nickModified) codes.push(MucStatus.NickAssigned);
  return codes;
}

/** Sends a joining session everything it receives on entering, in order. */
export function deliverJoin(room: ChatRoom, occupant: RoomOccupant, target: OccupantSession, delivery: JoinDelivery): void {
  for (const other of room.occupants()) {
    if (other !== occupant && isBroadcastRole(room, other.role)) sendPresenceTo(room, other, occupant, target);
  }
  if (delivery.isNewOccupant) broadcastToOthers(room, occupant, {});
  sendSelfPresence(room, occupant, target, { selfCodes: selfCodes(room, delivery) });
  for (const entry of selectHistory(room.history, delivery.history, new Date(), target.jid.toString())) {
    sendXml(target, entry.xml);
  }
  sendElement(target, subjectMessage(room));
}
