/**
 * Presence addressed to the service: to an occupant JID it is a join (§7.2), a presence update
 * (§7.7), a nickname change (§7.6), a departure (§7.14) or a bounce; to a room's bare JID an
 * available presence lacks the nickname (§7.2.1: <jid-malformed/>). Sessions that end, or go
 * unavailable without telling the room, leave every room they were in.
 */
import { StanzaError } from '../../server/errors/index.js';
import { Priority, type StanzaEvent } from '../../server/hooks/index.js';
import { removeBouncingSession } from './ghost-bounces.js';
import type { MucEngine } from '../muc-engine.js';
import { changeNick } from '../joining/nick-change.js';
import { validateNickname } from '../joining/nickname.js';
import { answerRefusal } from '../joining/join-refusal.js';
import { handleJoin } from '../joining/occupant-join.js';
import { leaveSession, removeEndedSession } from '../joining/occupant-leave.js';
import { broadcastPresence, sendSelfPresence } from './presence-broadcast.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';

/** Presence handling answers its own errors (join-refusal.ts): the router sees `true`. */
type Handled = true | Promise<true>;

/** §7.7: a new presence of an occupant under its current nick. */
function updatePresence(room: ChatRoom, occupant: RoomOccupant, event: StanzaEvent): true {
  const target = occupant.session(event.from);
  if (target === undefined) return true;
  target.presence = event.stanza;
  if (occupant.primary === target) broadcastPresence(room, occupant, {});
  else sendSelfPresence(room, occupant, target, { payload: event.stanza });
  return true;
}

function onOccupantPresence(engine: MucEngine, event: StanzaEvent): Handled {
  const type = event.stanza.attrs.type as string | undefined;
  if (event.origin === undefined && type === undefined) return true;
  const room = engine.rooms.get(event.to);
  const occupant = room?.occupantBySession(event.from);
  if (type === 'unavailable') {
    if (room !== undefined && occupant !== undefined) {
      leaveSession(engine, room, occupant, event.from, { stanza: event.stanza, reason: 'left', notifySelf: true });
    }
    return true;
  }
  if (type === 'error') {
    if (room !== undefined && occupant !== undefined) removeBouncingSession(engine, room, occupant, event);
    return true;
  }
  // Rooms neither subscribe nor answer probes.
  if (type !== undefined) return true;
  // §7.2: every refused entry and (§7.6) nickname change is an error presence with the MUC <x/>.
  if (room === undefined || occupant === undefined) return answerRefusal(engine, event, handleJoin(engine, event));
  const nick = validateNickname(event.to.resource);
  if (nick.ok && nick.value === occupant.nick) return updatePresence(room, occupant, event);
  return answerRefusal(engine, event, changeNick(engine, event, room, occupant));
}

function onRoomPresence(engine: MucEngine, event: StanzaEvent): Handled {
  if (event.stanza.attrs.type !== undefined) return true;
  const error = StanzaError.modify('jid-malformed', { text: 'A nickname is required to enter a room', by: event.to.toString() });
  return answerRefusal(engine, event, error);
}

/** Hooks presence handling on the service and session ends on every user host. */
export function registerPresenceHandlers(engine: MucEngine): void {
  const { ctx } = engine;
  ctx.hook('presence/full', (event) => onOccupantPresence(engine, event));
  ctx.hook('presence/bare', (event) => onRoomPresence(engine, event));
  ctx.hook('presence/host', () => true);
  for (const host of ctx.hosts()) {
    if (host.kind !== 'user') continue;
    // §7.14 and Prosody: an occupant whose session ends has left the room.
    ctx.hookOn(host, 'resource-unbind', ({ session }) => removeEndedSession(engine, session.jid));
    // RFC 6121 §4.5.2: going unavailable ends directed presence, and with it the room visits.
    ctx.hookOn(host, 'presence/broadcast', ({ stanza, from }) => {
      if (stanza.attrs.type === 'unavailable') removeEndedSession(engine, from);
      return undefined;
    }, Priority.Guard);
  }
}
