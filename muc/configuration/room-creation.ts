/**
 * Who may create rooms (Prosody's `restrict_room_creation`), how many (`muc_max_rooms`,
 * `muc_max_rooms_per_user`), and what creation does: the creator becomes the owner (XEP-0045
 * §10.1.1), the room is registered and, for a MUC-aware join with `muc_room_locking`, locked
 * until configured.
 *
 * The two bounds answer differently. A full service is Prosody's `resource-constraint` of type
 * wait (mod_muc, when `muc_max_rooms` is reached: RFC 6120 §8.3.3.18, the service lacks the
 * resources; rooms come and go, so later may work). A user who already created
 * `muc_max_rooms_per_user` rooms gets `policy-violation` of type modify (RFC 6120 §8.3.3.12: a
 * local policy about this user; destroying one of their rooms makes room). XEP-0045 §10.1.1's
 * `not-allowed` stays what it says there: room creation is not allowed to this user at all.
 */
import type { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { lockRoom } from '../joining/room-locking.js';

/** The domain whose users count as "local" for `restrict_room_creation = "local"`: the service's parent. */
function parentDomain(service: string): string {
  const dot = service.indexOf('.');
  return dot === -1 ? service : service.slice(dot + 1);
}

/** Why `creator` may not create a room here, or undefined: restriction first, then the bounds. */
export function creationRefusal(engine: MucEngine, creator: Jid): StanzaError | undefined {
  const rule = engine.options.restrict_room_creation;
  const allowed = rule === false || engine.isServerAdmin(creator) || (rule === 'local' && creator.domain === parentDomain(engine.domain));
  if (!allowed) return StanzaError.cancel('not-allowed', { text: 'Room creation is restricted', by: engine.domain });
  return capacityRefusal(engine, creator);
}

/** Why the service cannot take one more room from `creator` now, or undefined. */
export function capacityRefusal(engine: MucEngine, creator: Jid): StanzaError | undefined {
  const { muc_max_rooms: maxRooms, muc_max_rooms_per_user: maxPerUser } = engine.options;
  if (engine.rooms.size >= maxRooms) return StanzaError.wait('resource-constraint', { text: 'The service holds as many rooms as it may', by: engine.domain });
  if (engine.isServerAdmin(creator) || engine.rooms.createdBy(creator.bare().toString()) < maxPerUser) return undefined;
  return StanzaError.modify('policy-violation', { text: `You may have created at most ${maxPerUser} rooms; leave or destroy one first`, by: engine.domain });
}

/**
 * Registers a new room with its creator as owner; `mucX` is the creating presence's MUC element.
 * Checks the bounds again first (other joins may have created rooms while this one's hooks ran):
 * a refusal creates nothing.
 */
export function createRoom(engine: MucEngine, room: ChatRoom, creator: Jid, mucX: Element | undefined): StanzaError | undefined {
  const refused = capacityRefusal(engine, creator);
  if (refused !== undefined) return refused;
  room.setAffiliation(creator.bare(), 'owner');
  room.creator = creator.bare().toString();
  engine.register(room, creator);
  // Clients unaware of MUC (no <x/> in the join) could never unlock the room: Prosody leaves it open.
  if (engine.options.muc_room_locking && mucX !== undefined) lockRoom(engine, room);
  if (room.config.persistentroom) void engine.persist(room);
  return undefined;
}
