/**
 * The nickname a presence asks for: the resourcepart of `room@service/nick`, prepared with the
 * RFC 8266 profile (`nickname.ts`) and at most `muc_max_nick_length` characters. Any failure is
 * <jid-malformed/> (XEP-0045 §7.2.1), decided before any hook runs.
 */
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { validateNickname } from './nickname.js';

function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The prepared nickname of an occupant JID, or <jid-malformed/>. */
export function prepareNick(engine: MucEngine, occupantJid: Jid): Result<string, StanzaError> {
  return prepareNickText(engine, occupantJid.resource, occupantJid.bare().toString());
}

/** The prepared form of a nickname given as text (one a hook granted), or <jid-malformed/> by `by`. */
export function prepareNickText(engine: MucEngine, nick: string, by: string): Result<string, StanzaError> {
  const prepared = validateNickname(nick);
  if (!prepared.ok) return err(prepared.error.withBy(by));
  if (characters(prepared.value) > engine.options.muc_max_nick_length) {
    return err(StanzaError.modify('jid-malformed', { text: `Nicknames are limited to ${engine.options.muc_max_nick_length} characters`, by }));
  }
  return ok(prepared.value);
}

/** The occupant an occupant JID's resource names (occupant JIDs compare exactly, after preparation). */
export function occupantAt(room: ChatRoom, resource: string): RoomOccupant | undefined {
  const nick = validateNickname(resource);
  return nick.ok ? room.occupantByNick(nick.value) : undefined;
}
