/**
 * Groupchat messages (XEP-0045 §7.4): an occupant with voice sends to the room's bare JID; the room
 * reflects the message from the sender's occupant JID, keeping its `id` (muc#stable_id), with the
 * sender's XEP-0421 occupant id, to every occupant session. The message is serialised and encoded
 * once; each recipient's `to` is written into the same bytes (`shared-stanza.ts`). Subject changes
 * (§8.1) arrive the same way. When the room archives (`muc_mam`, `muc/archive/`), the message is
 * archived first and carries the room's XEP-0359 `<stanza-id/>` in every copy. Messages the service
 * posts (`MucService.postMessage`) take the same way from `broadcastGroupchat` on.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { HookOutcome, StanzaEvent } from '../../server/hooks/index.js';
import { NS, serializeElement } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { isHistoryWorthy } from './history.js';
import { copyWithoutRoomClaims } from './occupant-copy.js';
import type { MucEngine } from '../muc-engine.js';
import { canSendGroupchat } from '../rooms/occupant-permissions.js';
import { SharedStanza, sendShared } from './shared-stanza.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { changeSubject, isSubjectChange } from './room-subject.js';
import { occupantSnapshot } from '../rooms/room-view.js';

type Outcome = true | StanzaError;

/** Attributes a reflection keeps from the original (`to` and `from` are the room's to set). */
const KEPT_ATTRIBUTES = ['id', 'xml:lang', 'xmlns'] as const;

/** The message as occupants receive it, without `to`. */
export function reflectGroupchat(room: ChatRoom, occupant: RoomOccupant, stanza: Element): Element {
  const message = copyWithoutRoomClaims(stanza, { from: occupant.jid.toString(), type: 'groupchat' }, KEPT_ATTRIBUTES, room.address);
  message.c('occupant-id', { xmlns: NS.occupantId, id: occupant.occupantId });
  return message;
}

/**
 * `muc-message-posted`, after the broadcast, for a message with a body. Checked with `has` first:
 * with no handler the hot path builds no snapshot.
 */
function notifyPosted(engine: MucEngine, room: ChatRoom, message: Element, sender: RoomOccupant | undefined, systemNick: string | undefined): void {
  if (!engine.hooks.has('muc-message-posted') || message.getChild('body') === undefined) return;
  engine.hooks.notify('muc-message-posted', {
    room: room.view, occupant: sender === undefined ? undefined : occupantSnapshot(room, sender), nick: sender?.nick ?? systemNick, stanza: message,
  });
}

/** Remembers the message, sends it to every occupant session and tells the hooks. */
function deliverGroupchat(
  engine: MucEngine, room: ChatRoom, message: Element, archiveId: string | undefined, sender: RoomOccupant | undefined, systemNick: string | undefined,
): true {
  const now = new Date();
  if (isHistoryWorthy(message)) room.history.add(message, { roomJid: room.address, occupantJid: String(message.attrs.from), now, archiveId });
  const shared = new SharedStanza(serializeElement(message));
  for (const occupant of room.occupants()) for (const target of occupant.sessions.values()) sendShared(target, shared);
  notifyPosted(engine, room, message, sender, systemNick);
  return true;
}

/**
 * Archives the message when the room does (stamping its stanza-id), then delivers it: occupants
 * see only what the archive has committed (it survives `kill -9`; the disk sync follows off the
 * writer lock), in archive order. The sender's stream goes on meanwhile (its next messages share
 * the archive's commit) unless the room's backlog is long. `sender` is the occupant who sent it;
 * undefined for a message the service posts as the room or as `systemNick`.
 */
export function broadcastGroupchat(
  engine: MucEngine, room: ChatRoom, message: Element, sender: RoomOccupant | undefined, systemNick?: string,
): true | Promise<true> {
  const archiving = engine.archiving;
  const archived = archiving?.archive(room, message);
  if (archiving === undefined || archived === undefined) return deliverGroupchat(engine, room, message, undefined, sender, systemNick);
  const delivered = archived.then((archiveId) => deliverGroupchat(engine, room, message, archiveId, sender, systemNick)).catch((error: unknown) => {
    engine.ctx.logger.error({ err: error, room: room.address }, 'delivering an archived groupchat message failed');
    return true as const;
  });
  return archiving.isBacklogged(room) ? delivered : true;
}

function afterHook(engine: MucEngine, room: ChatRoom, sender: RoomOccupant, message: Element, outcome: HookOutcome): Outcome | Promise<Outcome> {
  if (outcome instanceof StanzaError) return outcome.by === undefined ? outcome.withBy(room.address) : outcome;
  return room.registered ? broadcastGroupchat(engine, room, message, sender) : true;
}

/** Handles a groupchat message to a room: subject change or broadcast. */
export function handleGroupchat(engine: MucEngine, event: StanzaEvent): Outcome | Promise<Outcome> {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  const occupant = room.occupantBySession(event.from);
  const standing = canSendGroupchat(occupant ?? { role: 'none' });
  if (occupant === undefined) return standing.ok ? true : standing.error.withBy(room.address);
  if (isSubjectChange(event.stanza)) return changeSubject(engine, room, occupant, event.stanza) ?? true;
  if (!standing.ok) return standing.error.withBy(room.address);
  const message = reflectGroupchat(room, occupant, event.stanza);
  if (!engine.hooks.has('muc-broadcast-message')) return broadcastGroupchat(engine, room, message, occupant);
  const payload = { room: room.view, occupant: occupantSnapshot(room, occupant), stanza: message };
  const outcome = engine.hooks.fire('muc-broadcast-message', payload, { deadlineMs: engine.deadlineMs });
  if (outcome instanceof Promise) return outcome.then((settled) => afterHook(engine, room, occupant, message, settled));
  return afterHook(engine, room, occupant, message, outcome);
}
