/**
 * MAM queries to a room's JID (XEP-0313 §4 on a MUC, Prosody's muc_mam): who may read the
 * archive, and the answer. Prosody's rule decides who may read: not an outcast, and in a
 * members-only room a member (owner, admin, member); anyone else may, occupant or not. Salon adds
 * one case Prosody leaves open: a password-protected room's archive is read only by its
 * affiliated users and its current occupants, who gave the password.
 */
import type { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import {
  finElement, parseMamQuery, queryFormElement, resultMessage, resultOrder, unknownIdError, type QueryLimits,
} from '../../server/mam/index.js';
import type { ModuleContext } from '../../server/modules/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import { isNonAnonymous, isPasswordProtected } from '../configuration/room-config.js';
import type { MucEngine } from '../muc-engine.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { readBack, type JidVisibility } from './archived-message.js';
import type { RoomArchive } from './room-archive.js';

type Outcome = true | StanzaError;

/** Why `requester` may not read the room's archive, if it may not. */
export function archiveRefusal(room: ChatRoom, requester: Jid): StanzaError | undefined {
  const affiliation = room.affiliationOf(requester);
  const forbidden = (text: string) => StanzaError.auth('forbidden', { text, by: room.address });
  if (affiliation === 'outcast') return forbidden('You are banned from this room');
  if (room.config.membersonly && affiliation === 'none') return forbidden('Only members may read this room\'s archive');
  if (isPasswordProtected(room.config) && affiliation === 'none' && room.occupantsOf(requester).length === 0) {
    return forbidden('Enter this password-protected room to read its archive');
  }
  return undefined;
}

/** Whose real JIDs the requester sees in results (XEP-0045 §5.1: moderators see them). */
export function jidVisibility(room: ChatRoom, requester: Jid): JidVisibility {
  const affiliation = room.affiliationOf(requester);
  if (affiliation === 'owner' || affiliation === 'admin') return 'all';
  if (room.occupantsOf(requester).some((occupant) => occupant.role === 'moderator')) return 'all';
  return isNonAnonymous(room.config) ? 'public-only' : 'none';
}

function roomFor(engine: MucEngine, event: StanzaEvent): ChatRoom | StanzaError {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  return archiveRefusal(room, event.from) ?? room;
}

async function answerQuery(engine: MucEngine, archive: RoomArchive, limits: QueryLimits, event: StanzaEvent): Promise<Outcome> {
  const room = roomFor(engine, event);
  if (room instanceof StanzaError) return room;
  const query = event.stanza.getChild('query', NS.mam) as Element;
  const parsed = parseMamQuery(query, limits);
  if (!parsed.ok) return parsed.error.withBy(room.address);
  const { archive: bounds, flipPage, queryId } = parsed.value;
  const page = await archive.store.query(room.address, bounds);
  if (typeof page === 'string') return unknownIdError(page).withBy(room.address);
  const visibility = jidVisibility(room, event.from);
  const to = event.from.toString();
  for (const item of resultOrder(page, flipPage)) {
    engine.send(resultMessage(item, readBack(item.stanza, visibility), to, room.address, queryId));
  }
  engine.send(iqResult(event.stanza, finElement(page)));
  return true;
}

function answerFormRequest(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = roomFor(engine, event);
  if (room instanceof StanzaError) return room;
  engine.send(iqResult(event.stanza, queryFormElement()));
  return true;
}

/** Hooks MAM queries (and the query form) to the service's rooms. */
export function registerRoomMamQueries(ctx: ModuleContext, engine: MucEngine, archive: RoomArchive, limits: QueryLimits): void {
  ctx.hook(`iq-set/bare/${NS.mam}:query`, (event) => answerQuery(engine, archive, limits, event));
  ctx.hook(`iq-get/bare/${NS.mam}:query`, (event) => answerFormRequest(engine, event));
}
