/**
 * Changing nickname (XEP-0045 §7.6): an occupant sends available presence to a new occupant JID.
 * The new nick passes the syntax rules, then `muc-occupant-pre-join` (kind `nick-change`) and
 * `muc-occupant-pre-change`, then the conflict rules; a refusal keeps the old nick. Everyone sees
 * unavailable from the old nick with the new one and status 303, then presence from the new nick.
 */
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { nickConflictCheck } from './join-checks.js';
import type { MucEngine } from '../muc-engine.js';
import { prepareNick } from './nick-rules.js';
import { broadcastPresence } from '../delivery/presence-broadcast.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import { MucStatus } from '../rooms/status-codes.js';

type Outcome = true | StanzaError;

/** The hooks' say on the new nickname; undefined when they allow it. */
async function hookVeto(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, nick: string, event: StanzaEvent): Promise<StanzaError | undefined> {
  const { stanza, from } = event;
  const renamed = { ...occupantSnapshot(room, occupant), nick, jid: room.jid.withResource(nick) };
  const joinVeto = await engine.veto('muc-occupant-pre-join', { room: room.view, occupant: Object.freeze(renamed), session: from, kind: 'nick-change', stanza });
  if (joinVeto !== undefined) return joinVeto;
  const snapshot = occupantSnapshot(room, occupant);
  return engine.veto('muc-occupant-pre-change', { room: room.view, occupant: snapshot, change: { kind: 'nick', nick }, actor: from, stanza });
}

/** Handles an occupant's presence to a new occupant JID. */
export async function changeNick(engine: MucEngine, event: StanzaEvent, room: ChatRoom, occupant: RoomOccupant): Promise<Outcome> {
  const nick = prepareNick(engine, event.to);
  if (!nick.ok) return nick.error;
  // Several sessions share one nickname; one of them alone cannot take it elsewhere.
  if (occupant.sessions.size > 1) {
    return StanzaError.modify('not-acceptable', { text: 'Change your nickname with only one client in the room', by: room.address });
  }
  const veto = await hookVeto(engine, room, occupant, nick.value, event);
  if (veto !== undefined) return veto;
  const oldNick = occupant.nick;
  if (!room.registered || room.occupantBySession(event.from) !== occupant || occupant.nick !== oldNick) return true;
  const conflict = nickConflictCheck({
    room, user: event.from, nick: nick.value, affiliation: room.affiliationOf(occupant.bareJid), sameOccupant: occupant, mucX: undefined,
  });
  const holder = room.occupantByKey(nick.value);
  if (conflict !== undefined || (holder !== undefined && holder !== occupant)) {
    return conflict ?? StanzaError.cancel('conflict', { text: 'That nickname is already in use', by: room.address });
  }
  applyNickChange(room, occupant, nick.value, event, nick.value !== event.to.resource);
  return true;
}

function applyNickChange(room: ChatRoom, occupant: RoomOccupant, nick: string, event: StanzaEvent, modified: boolean): void {
  const target = occupant.session(event.from);
  broadcastPresence(room, occupant, { type: 'unavailable', newNick: nick, codes: [MucStatus.NickChanged] });
  room.renameOccupant(occupant, nick);
  if (target !== undefined) target.presence = event.stanza;
  broadcastPresence(room, occupant, { selfCodes: modified ? [MucStatus.NickAssigned] : [] });
}
