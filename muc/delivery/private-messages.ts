/**
 * Private messages between occupants (XEP-0045 §7.5): sent to an occupant JID, delivered from the
 * sender's occupant JID to every session of the recipient, with an empty `muc#user` `<x/>` as the
 * XEP recommends, when `muc#roomconfig_allowpm` lets the sender's role.
 *
 * A private message belongs to the recipient's own conversations, so before its copies are
 * written the recipient's host sees it once, as the routed way's `message/full` would:
 * `deliver-message` (the delivery rule, docs/architecture.md). There the recipient's inbound
 * guards may stop it and the user archive (XEP-0313) keeps it and stamps its `<stanza-id/>`,
 * which every copy then carries: one archive entry however many sessions share the nickname.
 * The copies are not routed: routed, each would be archived once per session, a blocked one
 * would bounce to the room and have the recipient removed as a ghost (§18.1), and one to a
 * session gone meanwhile would fall back to another resource or offline storage. The sender's
 * archive keeps the message on `pre-stanza`, before the room looks at it (as Prosody does).
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

type Outcome = true | StanzaError | Promise<true>;

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
  return deliverToOccupant(sender, recipient, privateCopy(room, sender, stanza), stanza);
}

/**
 * Passes `message` (built without `to` from the sender's `original`) through the recipient's
 * host once (`deliver-message`), then writes one copy to each of the occupant's sessions through
 * their `deliver-stanza` guards. A stopped message vanishes: no error goes back (XEP-0045
 * behaviour, as when every copy is stopped by `deliver-stanza`). Delivery waits for the archive
 * commits (the sender's and the recipient's) as a routed message does; the sender's stream waits
 * with it, so its later stanzas do not overtake the private message.
 */
function deliverToOccupant(sender: RoomOccupant, recipient: RoomOccupant, message: Element, original: Element): true | Promise<true> {
  const { host, jid: to } = recipient.primary;
  if (host === undefined || !host.hooks.has('deliver-message')) return sendToSessions(recipient, message);
  // Addressed while the host looks at it, so that what its archive keeps names the recipient.
  message.attrs.to = to.toString();
  const outcome = host.hooks.fire('deliver-message', { stanza: message, original, from: sender.jid, to, origin: undefined, host });
  if (outcome instanceof Promise) return outcome.then((settled) => afterHost(recipient, message, settled));
  return afterHost(recipient, message, outcome);
}

function afterHost(recipient: RoomOccupant, message: Element, outcome: unknown): true {
  if (outcome !== undefined) return true; // stopped by a guard: it vanishes
  // The event's `to`; every copy gets its own session's address.
  delete message.attrs.to;
  return sendToSessions(recipient, message);
}

/** The occupant's sessions now: one may have left while the recipient's host kept the message. */
function sendToSessions(recipient: RoomOccupant, message: Element): true {
  const shared = new SharedStanza(serializeElement(message));
  for (const target of recipient.sessions.values()) sendShared(target, shared);
  return true;
}
