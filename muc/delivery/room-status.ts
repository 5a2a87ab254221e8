/**
 * Status-code messages from the room itself (XEP-0045 §10.2.1 #roomconfig-notify): a groupchat
 * message from the room's bare JID carrying only `<x xmlns='…muc#user'><status/></x>`, to every
 * occupant session.
 */
import { Element } from 'ltx';
import { NS, serializeElement } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { SharedStanza, sendShared } from './shared-stanza.js';
import { statusElement, type MucStatusCode } from '../rooms/status-codes.js';

/** The status-code message, without `to`. */
export function roomStatusMessage(room: ChatRoom, codes: readonly MucStatusCode[]): Element {
  const message = new Element('message', { from: room.address, type: 'groupchat' });
  const x = message.c('x', { xmlns: NS.mucUser });
  for (const code of [...codes].sort((a, b) => a - b)) x.cnode(statusElement(code));
  return message;
}

/** Sends the status-code message to every occupant session. */
export function sendRoomStatus(room: ChatRoom, codes: readonly MucStatusCode[]): void {
  const shared = new SharedStanza(serializeElement(roomStatusMessage(room, codes)));
  for (const occupant of room.occupants()) for (const target of occupant.sessions.values()) sendShared(target, shared);
}
