/**
 * `muc/joining/`: entering and leaving a room. This file orders the steps of an entry; the
 * admission rules (`join-checks.ts`, `room-password.ts`, `room-locking.ts`), nickname syntax
 * (`nickname.ts`, `nick-rules.ts`), what a newcomer receives (`join-delivery.ts`), the error presences
 * of a refusal (`join-refusal.ts`), nickname changes and departures live beside it.
 *
 * Entering a room (XEP-0045 §7.2), in this order: nickname syntax (no hook runs for an invalid
 * nick), room creation policy and `muc-room-pre-create` when the room does not exist,
 * `muc-occupant-pre-join` (awaited, with a deadline; only this sender's stream waits), then the
 * built-in checks against the room as it is after the wait, then creation and entry. Nothing is
 * created or broadcast before every check has passed, so a refused first join leaves no room.
 */
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { JoinKind, Occupant } from '../events.js';
import { parseHistoryRequest } from '../delivery/history.js';
import { deliverJoin } from './join-delivery.js';
import { runJoinChecks, type JoinRequest } from './join-checks.js';
import type { MucEngine } from '../muc-engine.js';
import { prepareNick } from './nick-rules.js';
import { createRoom, creationRefusal } from '../configuration/room-creation.js';
import { OccupantSession, RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import { defaultRole, type Affiliation } from '../rooms/roles-affiliations.js';

type JoinOutcome = true | StanzaError;

/** The user's occupant under this nickname, if the session would join it as another session. */
function sameUserOccupant(room: ChatRoom, user: Jid, nick: string) {
  const holder = room.occupantByKey(nick);
  return holder !== undefined && holder.bareJid.equals(user.bare()) && holder.nick === nick ? holder : undefined;
}

/** The occupant as it would be after the join, for the hook. */
function prospectiveOccupant(engine: MucEngine, room: ChatRoom, user: Jid, nick: string, creating: boolean): Occupant {
  const same = sameUserOccupant(room, user, nick);
  if (same !== undefined) return occupantSnapshot(room, same);
  const affiliation: Affiliation = creating ? 'owner' : room.affiliationOf(user);
  return Object.freeze({
    nick,
    jid: room.jid.withResource(nick),
    bareJid: user.bare(),
    sessions: Object.freeze([user]),
    role: defaultRole(affiliation, room.kind),
    affiliation,
    occupantId: engine.ids.idFor(room.jid, user),
  });
}

/** Handles an available presence from a session that is not (yet) in the room under any nick. */
export async function handleJoin(engine: MucEngine, event: StanzaEvent, retried = false): Promise<JoinOutcome> {
  const { stanza, from, to } = event;
  const nick = prepareNick(engine, to);
  if (!nick.ok) return nick.error;
  const existing = engine.rooms.get(to);
  const room = existing ?? engine.newRoom(to);
  if (existing === undefined) {
    const refused = creationRefusal(engine, from) ?? await engine.veto('muc-room-pre-create', { room: room.view, creator: from, stanza });
    if (refused !== undefined) return refused;
  }
  const kind: JoinKind = sameUserOccupant(room, from, nick.value) === undefined ? 'join' : 'session';
  const occupant = prospectiveOccupant(engine, room, from, nick.value, existing === undefined);
  const veto = await engine.veto('muc-occupant-pre-join', { room: room.view, occupant, session: from, kind, stanza });
  if (veto !== undefined) return veto;
  // After a restart the history is in the room's archive only (muc_mam): read it back once.
  const loading = existing === undefined ? undefined : engine.archiving?.loadHistory(existing);
  if (loading !== undefined) await loading;
  // The room may have been created, changed or destroyed while the hooks ran.
  const current = engine.rooms.get(to);
  if (existing !== undefined && current === undefined) {
    return retried ? StanzaError.cancel('item-not-found', { by: room.address }) : handleJoin(engine, event, true);
  }
  return admit(engine, event, current ?? room, nick.value !== to.resource);
}

/** The synchronous part: checks against the current room, then creation and entry. */
function admit(engine: MucEngine, event: StanzaEvent, room: ChatRoom, nickModified: boolean): JoinOutcome {
  const { stanza, from, to, origin } = event;
  if (origin === undefined) return true;
  if (room.occupantBySession(from) !== undefined) return true; // entered meanwhile through another path
  const nick = prepareNick(engine, to);
  if (!nick.ok) return nick.error;
  const creating = !room.registered;
  const mucX = stanza.getChild('x', NS.muc);
  const request: JoinRequest = {
    room, user: from, nick: nick.value, mucX,
    affiliation: creating ? 'owner' : room.affiliationOf(from),
    sameOccupant: sameUserOccupant(room, from, nick.value),
  };
  const problem = runJoinChecks(engine.joinChecks, request);
  if (problem !== undefined) return problem;
  if (creating) {
    const refused = createRoom(engine, room, from, mucX);
    if (refused !== undefined) return refused;
  }
  const target = new OccupantSession(origin, from, stanza, engine.ctx.hostByName(from.domain));
  const history = mucX === undefined ? {} : parseHistoryRequest(mucX);
  if (request.sameOccupant !== undefined) {
    room.addSession(request.sameOccupant, target);
    deliverJoin(room, request.sameOccupant, target, { isNewOccupant: false, created: false, nickModified, history });
    notifyJoined(engine, room, request.sameOccupant, from, 'session');
    return true;
  }
  const role = defaultRole(request.affiliation, room.kind);
  if (role === 'none') return StanzaError.auth('registration-required', { by: room.address });
  const occupant = new RoomOccupant(room.jid.withResource(nick.value), from.bare(), role, engine.ids.idFor(room.jid, from));
  room.addOccupant(occupant, target);
  deliverJoin(room, occupant, target, { isNewOccupant: true, created: creating, nickModified, history });
  notifyJoined(engine, room, occupant, from, 'join');
  return true;
}

function notifyJoined(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, session: Jid, kind: 'join' | 'session'): void {
  engine.hooks.notify('muc-occupant-joined', { room: room.view, occupant: occupantSnapshot(room, occupant), session, kind });
}

