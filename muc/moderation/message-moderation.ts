/**
 * XEP-0425 Moderated Message Retraction on a room: a moderator names a message by the room's
 * stanza id; the room replaces it in its archive with a tombstone (and in the join history, so
 * new occupants never receive the body), then tells every occupant. Prosody's mod_muc_moderation
 * decides who may: the requester's role in the room, or when not present the role their
 * affiliation would give them (owners and admins moderate from outside the room too).
 *
 * Errors: no such room → item-not-found; a role below moderator → forbidden; no room archive on
 * the service (`muc_mam` not loaded: messages have no stanza ids to name) → feature-not-implemented;
 * an id the archive does not hold (see `findMessage` for the sender's own id) → item-not-found;
 * a failed archive write → internal-server-error, and nothing is announced.
 */
import { StanzaError, type Result } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import { iqResult } from '../../server/xml/index.js';
import { broadcastGroupchat } from '../delivery/groupchat.js';
import type { RoomArchiving } from '../archive/room-archiving.js';
import type { MucEngine } from '../muc-engine.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { defaultRole } from '../rooms/roles-affiliations.js';
import { MAX_MODERATED_ID_LENGTH, type ModerationRequest } from './moderation-request.js';
import { moderationAnnouncement, tombstoneOf, type Moderator } from './moderation-stanzas.js';

type Outcome = true | StanzaError;

/** The moderator as announcements name them, or why the requester may not moderate. */
function moderatorOf(engine: MucEngine, room: ChatRoom, requester: Jid): Moderator | StanzaError {
  const occupant = room.occupantBySession(requester);
  const role = occupant?.role ?? defaultRole(room.affiliationOf(requester), room.kind);
  if (role !== 'moderator') {
    return StanzaError.auth('forbidden', { text: 'Only moderators may retract messages', by: room.address });
  }
  const reserved = room.reservedNick(requester);
  const occupantJid = occupant?.jid.toString() ?? (reserved === undefined ? undefined : `${room.address}/${reserved}`);
  return { occupantJid, occupantId: occupant?.occupantId ?? engine.ids.idFor(room.jid, requester) };
}

/**
 * The archive id and stored stanza of the message the request names. The XEP names messages by
 * the room's stanza id; a client that names one by the id its sender gave it (slixmpp's own
 * integration test does) is understood when exactly one message of the join history carries that
 * id, and never when an archived message has the requested id as its stanza id.
 */
async function findMessage(archiving: RoomArchiving, room: ChatRoom, requested: string): Promise<{ id: string; stored: string } | undefined> {
  const stored = await archiving.find(room, requested);
  if (stored !== undefined) return { id: requested, stored };
  const matches = room.history.entries().filter((entry) => entry.stanza.attrs.id === requested && entry.archiveId !== undefined);
  const id = matches.length === 1 ? matches[0]?.archiveId : undefined;
  if (id === undefined) return undefined;
  const byOwnId = await archiving.find(room, id);
  return byOwnId === undefined ? undefined : { id, stored: byOwnId };
}

/**
 * Replaces the message with its tombstone in the archive and the history; resolves to the
 * request with the message's stanza id, which the announcement names.
 */
async function tombstone(engine: MucEngine, room: ChatRoom, request: ModerationRequest, moderator: Moderator): Promise<ModerationRequest | StanzaError> {
  const archiving = engine.archiving;
  if (archiving === undefined) return StanzaError.cancel('feature-not-implemented', { text: 'This room keeps no archive', by: room.address });
  const notFound = StanzaError.modify('item-not-found', { text: 'The room\'s archive holds no message with this id', by: room.address });
  if (request.stanzaId.length > MAX_MODERATED_ID_LENGTH) return notFound;
  const found = await findMessage(archiving, room, request.stanzaId);
  if (found === undefined) return notFound;
  const resolved = { ...request, stanzaId: found.id };
  const now = new Date();
  const replaced = await archiving.replace(room, found.id, tombstoneOf(found.stored, room.address, resolved, moderator, now).toString());
  if (!replaced) return notFound;
  const entry = room.history.entries().find((candidate) => candidate.archiveId === found.id);
  if (entry !== undefined) room.history.replace(found.id, tombstoneOf(entry.stanza, room.address, resolved, moderator, now), room.address);
  return resolved;
}

/** Handles one parsed moderation request to the room the iq was sent to. */
export async function moderateMessage(engine: MucEngine, event: StanzaEvent, parsed: Result<ModerationRequest, StanzaError>): Promise<Outcome> {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  if (!parsed.ok) return parsed.error.withBy(room.address);
  const moderator = moderatorOf(engine, room, event.from);
  if (moderator instanceof StanzaError) return moderator;
  let resolved: ModerationRequest | StanzaError;
  try {
    resolved = await tombstone(engine, room, parsed.value, moderator);
  } catch (error) {
    engine.ctx.logger.error({ err: error, room: room.address }, 'writing a moderation tombstone failed');
    return StanzaError.wait('internal-server-error', { by: room.address });
  }
  if (resolved instanceof StanzaError) return resolved;
  engine.ctx.logger.info({ room: room.address, id: resolved.stanzaId, moderator: event.from.toString() }, 'message moderated');
  await broadcastGroupchat(engine, room, moderationAnnouncement(room.address, resolved, moderator), undefined);
  engine.send(iqResult(event.stanza));
  return true;
}
