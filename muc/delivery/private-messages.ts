/**
 * Private messages between occupants (XEP-0045 §7.5): sent to an occupant JID, delivered from the
 * sender's occupant JID to every session of the recipient, with an empty `muc#user` `<x/>` as the
 * XEP recommends, when `muc#roomconfig_allowpm` lets the sender's role.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, serializeElement } from '../../server/xml/index.js';
import { removeBouncingSession } from './ghost-bounces.js';
import { copyWithoutRoomClaims } from './occupant-copy.js';
import type { MucEngine } from '../muc-engine.js';
import { occupantAt } from '../joining/nick-rules.js';
import { canSendPrivateMessage } from '../rooms/occupant-permissions.js';
import { SharedStanza, sendShared } from './shared-stanza.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';

type Outcome = true | StanzaError;

function privateCopy(room: ChatRoom, sender: RoomOccupant, stanza: Element): Element {
  const message = copyWithoutRoomClaims(stanza, { from: sender.jid.toString() }, ['id', 'type', 'xml:lang', 'xmlns'], room.address);
  message.c('x', { xmlns: NS.mucUser });
  message.c('occupant-id', { xmlns: NS.occupantId, id: sender.occupantId });
  return message;
}

/** Handles a message to an occupant JID. */
export function handlePrivateMessage(engine: MucEngine, event: StanzaEvent): Outcome {
  const { stanza, from, to } = event;
  const room = engine.rooms.get(to);
  const sender = room?.occupantBySession(from);
  if (stanza.attrs.type === 'error') {
    if (room !== undefined && sender !== undefined) removeBouncingSession(engine, room, sender, event);
    return true;
  }
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  if (sender === undefined) return StanzaError.modify('not-acceptable', { text: 'You are not in this room', by: room.address });
  // §7.5: a private message of type groupchat is refused with <bad-request/>.
  if (stanza.attrs.type === 'groupchat') return StanzaError.modify('bad-request', { text: 'Private messages are not groupchat', by: room.address });
  const recipient = occupantAt(room, to.resource);
  if (recipient === undefined) return StanzaError.cancel('item-not-found', { text: 'No such occupant', by: room.address });
  const allowed = canSendPrivateMessage(room.config.allowpm, sender);
  if (!allowed.ok) return allowed.error.withBy(room.address);
  const shared = new SharedStanza(serializeElement(privateCopy(room, sender, stanza)));
  for (const target of recipient.sessions.values()) sendShared(target, shared);
  return true;
}
