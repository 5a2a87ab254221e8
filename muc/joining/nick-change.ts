/**
 * Changing nickname (XEP-0045 §7.6): an occupant sends available presence to a new occupant JID.
 * The new nick passes the syntax rules, then `muc-occupant-pre-join` (kind `nick-change`; of
 * its `grant` only a nickname applies, which replaces the requested one: status 210 as for a
 * join), then `muc-occupant-pre-change` with the nickname that will be used, then the conflict
 * rules; a refusal keeps the old nick. Everyone sees unavailable from the old nick with the new
 * one and status 303, then presence from the new nick.
 */
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { nickConflictCheck } from './join-checks.js';
import type { MucEngine } from '../muc-engine.js';
import { prepareNick, prepareNickText } from './nick-rules.js';
import type { JoinGrant } from './join-grant.js';
import { broadcastPresence } from '../delivery/presence-broadcast.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import { MucStatus } from '../rooms/status-codes.js';

type Outcome = true | StanzaError;

/** The nickname a hook granted instead of the requested one, prepared; an invalid one refuses. */
function grantedNick(engine: MucEngine, room: ChatRoom, requested: string, grant: JoinGrant): string | StanzaError {
  if (grant.nick === undefined) return requested;
  const granted = prepareNickText(engine, grant.nick, room.address);
  if (granted.ok) return granted.value;
  engine.ctx.logger.warn({ room: room.address, nick: grant.nick, problem: granted.error.text }, 'a muc-occupant-pre-join hook granted an invalid nickname; refusing');
  return StanzaError.cancel('internal-server-error', { text: 'The nickname this room assigned is not valid', by: room.address });
}

/** The hooks' say on the new nickname: the nickname to use, or their veto. */
async function hookDecision(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, requested: string, event: StanzaEvent): Promise<string | StanzaError> {
  const { stanza, from } = event;
  const renamed = { ...occupantSnapshot(room, occupant), nick: requested, jid: room.jid.withResource(requested) };
  const grant: JoinGrant = {};
  const joinVeto = await engine.veto('muc-occupant-pre-join', { room: room.view, occupant: Object.freeze(renamed), session: from, kind: 'nick-change', stanza, grant });
  if (joinVeto !== undefined) return joinVeto;
  const nick = grantedNick(engine, room, requested, grant);
  if (nick instanceof StanzaError) return nick;
  // The room assigns this occupant the nickname it already has: there is nothing to change to.
  if (grant.nick !== undefined && nick === occupant.nick) return StanzaError.modify('not-acceptable', { text: 'This room assigns your nickname', by: room.address });
  const snapshot = occupantSnapshot(room, occupant);
  const changeVeto = await engine.veto('muc-occupant-pre-change', { room: room.view, occupant: snapshot, change: { kind: 'nick', nick }, actor: from, stanza });
  return changeVeto ?? nick;
}

/** Handles an occupant's presence to a new occupant JID. */
export async function changeNick(engine: MucEngine, event: StanzaEvent, room: ChatRoom, occupant: RoomOccupant): Promise<Outcome> {
  const nick = prepareNick(engine, event.to);
  if (!nick.ok) return nick.error;
  // Several sessions share one nickname; one of them alone cannot take it elsewhere.
  if (occupant.sessions.size > 1) {
    return StanzaError.modify('not-acceptable', { text: 'Change your nickname with only one client in the room', by: room.address });
  }
  const oldNick = occupant.nick;
  const decided = await hookDecision(engine, room, occupant, nick.value, event);
  if (decided instanceof StanzaError) return decided;
  if (!room.registered || room.occupantBySession(event.from) !== occupant || occupant.nick !== oldNick) return true;
  const conflict = nickConflictCheck({
    room, user: event.from, nick: decided, affiliation: room.affiliationOf(occupant.bareJid), sameOccupant: occupant, mucX: undefined,
  });
  const holder = room.occupantByKey(decided);
  if (conflict !== undefined || (holder !== undefined && holder !== occupant)) {
    return conflict ?? StanzaError.cancel('conflict', { text: 'That nickname is already in use', by: room.address });
  }
  applyNickChange(room, occupant, decided, event, decided !== event.to.resource);
  return true;
}

function applyNickChange(room: ChatRoom, occupant: RoomOccupant, nick: string, event: StanzaEvent, modified: boolean): void {
  const target = occupant.session(event.from);
  broadcastPresence(room, occupant, { type: 'unavailable', newNick: nick, codes: [MucStatus.NickChanged] });
  room.renameOccupant(occupant, nick);
  if (target !== undefined) target.presence = event.stanza;
  broadcastPresence(room, occupant, { selfCodes: modified ? [MucStatus.NickAssigned] : [] });
}
