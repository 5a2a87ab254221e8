/**
 * What every `MucService` call shares: finding the room an address names on this service, and
 * turning the caller's `ServiceActor` and reason into what occupants are told.
 */
import { toJid, type Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import type { ServiceActor } from '../muc-service.js';
import type { ActorInfo } from '../delivery/occupant-presence.js';
import type { ChangeContext } from '../moderation/apply-role-change.js';

/** The room with this bare JID on this service; undefined for anything else. */
export function findRoom(engine: MucEngine, address: Jid | string): ChatRoom | undefined {
  const jid = toJid(address);
  if (jid === undefined || !jid.isBare || jid.local === '' || jid.domain !== engine.domain) return undefined;
  return engine.rooms.get(jid);
}

/** The `<actor/>` occupants see; none for the service itself. */
export function actorInfo(actor: ServiceActor | undefined): ActorInfo | undefined {
  if (actor === undefined || (actor.nick === undefined && actor.jid === undefined)) return undefined;
  return actor;
}

/** Actor and reason as a role or affiliation change carries them (an empty reason is none). */
export function changeContext(actor: ServiceActor | undefined, reason: string | undefined): ChangeContext {
  const info = actorInfo(actor);
  return { ...(info !== undefined ? { actor: info } : {}), ...(reason !== undefined && reason !== '' ? { reason } : {}) };
}
