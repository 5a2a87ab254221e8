/**
 * How the API names a room: its bare JID (`lobby@conference.example.org`), or its local part
 * alone (`lobby`) for a room of the server's first MUC service. The text arrives percent-decoded
 * from the path; it is parsed and normalised once here, like any JID entering the server.
 */
import type { MucService, Room } from '../../muc/index.js';
import { err, ok, type Result } from '../../server/errors/index.js';
import { parseJid, parseParts, type Jid } from '../../server/jid/index.js';
import type { AdminFailure } from '../admin-operation.js';
import type { AdminEnvironment } from '../admin-environment.js';
import { roomFailures } from './room-failures.js';

/** A room's address: the service it belongs to (or would belong to) and its bare JID. */
export interface RoomAddress {
  readonly service: MucService;
  readonly jid: Jid;
}

/** What a room name says before any service is looked up: a local part alone, or a bare JID. */
export type RoomName = { readonly local: string; readonly domain: undefined } | { readonly local: string; readonly domain: string };

/** Parses the text naming a room (pure); `invalid-jid` for anything but a local part or a bare room JID. */
export function parseRoomName(text: string): Result<RoomName, 'invalid-jid'> {
  if (!text.includes('@')) {
    // A local part alone: checked with a placeholder domain, which parses whatever the service is.
    if (text.includes('/')) return err('invalid-jid');
    const parsed = parseParts(text, 'example.invalid', '');
    return parsed.ok && parsed.value.local !== '' ? ok({ local: parsed.value.local, domain: undefined }) : err('invalid-jid');
  }
  const parsed = parseJid(text);
  if (!parsed.ok || parsed.value.local === '' || !parsed.value.isBare) return err('invalid-jid');
  return ok({ local: parsed.value.local, domain: parsed.value.domain });
}

/** The service and room JID a name designates; the room itself need not exist. */
export function resolveRoomAddress(env: AdminEnvironment, text: string): Result<RoomAddress, AdminFailure> {
  const name = parseRoomName(text);
  if (!name.ok) return err(roomFailures.invalidJid(`room ${JSON.stringify(text)}`));
  const service = env.muc(name.value.domain);
  if (service === undefined) return err(roomFailures.mucServiceNotFound(name.value.domain));
  const jid = parseParts(name.value.local, service.domain, '');
  // The local part parsed above, and the service's domain is a configured host name.
  if (!jid.ok) return err(roomFailures.invalidJid(`room ${JSON.stringify(text)}`));
  return ok({ service, jid: jid.value });
}

/** An existing room with its address. */
export interface ExistingRoom extends RoomAddress {
  readonly room: Room;
}

/** The address of an existing room; `room-not-found` when its service has no such room. */
export function findRoom(env: AdminEnvironment, text: string): Result<ExistingRoom, AdminFailure> {
  const address = resolveRoomAddress(env, text);
  if (!address.ok) return address;
  const room = address.value.service.room(address.value.jid);
  if (room === undefined) return err(roomFailures.roomNotFound(address.value.jid.toString()));
  return ok({ ...address.value, room });
}
