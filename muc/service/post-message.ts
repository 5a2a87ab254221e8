/**
 * `MucService.postMessage`: a groupchat message from the room itself (its bare JID, as XEP-0045
 * §7.2.15 and §10.2.1 messages are) or from a system nickname no occupant uses nor has registered.
 * It takes the way of every groupchat message from `broadcastGroupchat` on: archived (with the
 * room's stanza-id) when the room archives, kept in history, delivered to every occupant session,
 * then `muc-message-posted`. It passes no `pre-` hook (a service action).
 */
import { randomUUID } from 'node:crypto';
import { Element } from 'ltx';
import { err, ok, type Result } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import type { PostMessageOptions, RoomNotFound } from '../muc-service.js';
import { broadcastGroupchat } from '../delivery/groupchat.js';
import { validateNickname } from '../joining/nickname.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { findRoom } from './service-room.js';

/** The nickname to post as, or why it cannot be used. */
function systemNick(room: ChatRoom, nick: string | undefined): Result<string | undefined, 'nick-in-use' | 'invalid-nick'> {
  if (nick === undefined) return ok(undefined);
  const prepared = validateNickname(nick);
  if (!prepared.ok) return err('invalid-nick');
  if (room.occupantByKey(prepared.value) !== undefined || room.nickReservedBy(prepared.value) !== undefined) return err('nick-in-use');
  return ok(prepared.value);
}

export function postMessage(
  engine: MucEngine, address: Jid | string, body: string, options: PostMessageOptions,
): Result<{ readonly id: string }, RoomNotFound | 'nick-in-use' | 'invalid-nick'> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const nick = systemNick(room, options.nick);
  if (!nick.ok) return nick;
  const id = options.id ?? randomUUID();
  const from = nick.value === undefined ? room.address : `${room.address}/${nick.value}`;
  const message = new Element('message', { from, type: 'groupchat', id });
  message.c('body').t(body);
  void broadcastGroupchat(engine, room, message, undefined, nick.value);
  return ok({ id });
}
