/**
 * `muc/joining/`: entering and leaving a room. This file orders the steps of an entry; the
 * admission rules (`join-checks.ts`, `room-password.ts`, `room-locking.ts`), nickname syntax
 * (`nickname.ts`, `nick-rules.ts`), what a newcomer receives (`join-delivery.ts`), the error presences
 * of a refusal (`join-refusal.ts`), nickname changes and departures live beside it.
 *
 * Entering a room (XEP-0045 §7.2), in this order: nickname syntax (no hook runs for an invalid
 * nick), room creation policy and `muc-room-pre-create` when the room does not exist,
 * `muc-occupant-pre-join` (awaited, with a deadline; only this sender's stream waits), then what
 * the hooks granted (`join-grant.ts`: a nickname, an affiliation, a role), then the built-in
 * checks against the room as it is after the wait, then creation and entry. Nothing is created,
 * stored or broadcast before every check has passed, so a refused first join leaves no room.
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
import { prepareNick, prepareNickText } from './nick-rules.js';
import {
  affiliationFacts, grantCapacityProblem, grantedAffiliation, grantedRole, storeGrantedAffiliation, type JoinGrant,
} from './join-grant.js';
import { createRoom, creationRefusal } from '../configuration/room-creation.js';
import { OccupantSession, RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import { defaultRole, type Affiliation } from '../rooms/roles-affiliations.js';

type JoinOutcome = true | StanzaError;

/** The nickname an entry uses and what else the hooks granted it. */
interface Entry {
  readonly nick: string;
  /** §7.2.2: the nickname differs from the one asked for (status 210). */
  readonly nickModified: boolean;
  readonly grant: JoinGrant;
}

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
  const grant: JoinGrant = {};
  const veto = await engine.veto('muc-occupant-pre-join', { room: room.view, occupant, session: from, kind, stanza, grant });
  if (veto !== undefined) return veto;
  const entry = entryOf(engine, event, nick.value, grant);
  if (entry instanceof StanzaError) return entry;
  // After a restart the history is in the room's archive only (muc_mam): read it back once.
  const loading = existing === undefined ? undefined : engine.archiving?.loadHistory(existing);
  if (loading !== undefined) await loading;
  // The room may have been created, changed or destroyed while the hooks ran.
  const current = engine.rooms.get(to);
  if (existing !== undefined && current === undefined) {
    return retried ? StanzaError.cancel('item-not-found', { by: room.address }) : handleJoin(engine, event, true);
  }
  return admit(engine, event, current ?? room, entry);
}

/** The entry's nickname: the one a hook granted (prepared like any other) or the one asked for. */
function entryOf(engine: MucEngine, event: StanzaEvent, requested: string, grant: JoinGrant): Entry | StanzaError {
  if (grant.nick === undefined) return { nick: requested, nickModified: requested !== event.to.resource, grant };
  const by = event.to.bare().toString();
  const granted = prepareNickText(engine, grant.nick, by);
  if (granted.ok) return { nick: granted.value, nickModified: granted.value !== event.to.resource, grant };
  // The user did not choose this nickname and cannot fix it: a failure of the granting hook.
  engine.ctx.logger.warn({ room: by, nick: grant.nick, problem: granted.error.text }, 'a muc-occupant-pre-join hook granted an invalid nickname; refusing');
  return StanzaError.cancel('internal-server-error', { text: 'The nickname this room assigned is not valid', by });
}

/** The synchronous part: checks against the current room, then creation and entry. */
function admit(engine: MucEngine, event: StanzaEvent, room: ChatRoom, entry: Entry): JoinOutcome {
  const { stanza, from, origin } = event;
  const { nick, nickModified, grant } = entry;
  if (origin === undefined) return true;
  if (room.occupantBySession(from) !== undefined) return true; // entered meanwhile through another path
  const creating = !room.registered;
  const mucX = stanza.getChild('x', NS.muc);
  const standing = grantedAffiliation(affiliationFacts(room, from, creating), grant.affiliation);
  const request: JoinRequest = {
    room, user: from, nick, mucX, affiliation: standing.affiliation, sameOccupant: sameUserOccupant(room, from, nick),
  };
  const problem = runJoinChecks(engine.joinChecks, request)
    ?? (standing.store ? grantCapacityProblem(engine, room, from, standing.affiliation) : undefined);
  if (problem !== undefined) return problem;
  // A grant's role shapes a new occupant only: another session shares the occupant's role.
  const role = grantedRole(request.affiliation, room.kind, grant.role);
  if (request.sameOccupant === undefined && role === 'none') return StanzaError.auth('registration-required', { by: room.address });
  if (creating) {
    const refused = createRoom(engine, room, from, mucX);
    if (refused !== undefined) return refused;
  }
  if (standing.store) storeGrantedAffiliation(engine, room, from, standing.affiliation);
  const target = new OccupantSession(origin, from, stanza, engine.ctx.hostByName(from.domain));
  const history = mucX === undefined ? {} : parseHistoryRequest(mucX);
  if (request.sameOccupant !== undefined) {
    room.addSession(request.sameOccupant, target);
    deliverJoin(room, request.sameOccupant, target, { isNewOccupant: false, created: false, nickModified, history });
    notifyJoined(engine, room, request.sameOccupant, from, 'session');
    return true;
  }
  const occupant = new RoomOccupant(room.jid.withResource(nick), from.bare(), role, engine.ids.idFor(room.jid, from));
  room.addOccupant(occupant, target);
  deliverJoin(room, occupant, target, { isNewOccupant: true, created: creating, nickModified, history });
  notifyJoined(engine, room, occupant, from, 'join');
  return true;
}

function notifyJoined(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, session: Jid, kind: 'join' | 'session'): void {
  engine.hooks.notify('muc-occupant-joined', { room: room.view, occupant: occupantSnapshot(room, occupant), session, kind });
}

