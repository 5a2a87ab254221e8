/**
 * Who may create rooms (Prosody's `restrict_room_creation`) and what creation does: the creator
 * becomes the owner (XEP-0045 §10.1.1), the room is registered and, for a MUC-aware join with
 * `muc_room_locking`, locked until configured.
 */
import type { Element } from 'ltx';
import { StanzaError } from '../server/errors/index.js';
import type { Jid } from '../server/jid/index.js';
import type { ChatRoom } from './chat-room.js';
import type { MucEngine } from './muc-engine.js';
import { lockRoom } from './room-locking.js';

/** The domain whose users count as "local" for `restrict_room_creation = "local"`: the service's parent. */
function parentDomain(service: string): string {
  const dot = service.indexOf('.');
  return dot === -1 ? service : service.slice(dot + 1);
}

/** Why `creator` may not create a room here, or undefined. Server admins may always. */
export function creationRefusal(engine: MucEngine, creator: Jid): StanzaError | undefined {
  const rule = engine.options.restrict_room_creation;
  if (rule === false || engine.isServerAdmin(creator)) return undefined;
  if (rule === 'local' && creator.domain === parentDomain(engine.domain)) return undefined;
  return StanzaError.cancel('not-allowed', { text: 'Room creation is restricted', by: engine.domain });
}

/** Registers a new room with its creator as owner; `join` is the creating presence. */
export function createRoom(engine: MucEngine, room: ChatRoom, creator: Jid, mucX: Element | undefined): void {
  room.setAffiliation(creator.bare(), 'owner');
  engine.register(room, creator);
  // Clients unaware of MUC (no <x/> in the join) could never unlock the room: Prosody leaves it open.
  if (engine.options.muc_room_locking && mucX !== undefined) lockRoom(engine, room);
  if (room.config.persistentroom) void engine.persist(room);
}
