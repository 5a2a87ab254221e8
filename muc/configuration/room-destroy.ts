/**
 * Destroying a room (XEP-0045 §10.9): every occupant receives its own unavailable presence with
 * `<destroy/>` (reason and alternate venue when given), then the room and its stored record go.
 */
import { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { DestroyCause } from '../events.js';
import type { MucEngine } from '../muc-engine.js';
import { sendSelfPresences } from '../delivery/presence-broadcast.js';
import { occupantSnapshot } from '../rooms/room-view.js';

/** Why and how a room is destroyed. */
export interface DestroyOptions {
  readonly cause: DestroyCause;
  readonly reason?: string;
  /** §10.9: a room that replaces this one. */
  readonly alternate?: Jid;
  /** §10.9: the alternate room's password. */
  readonly password?: string;
}

/** The `<destroy/>` element of §10.9. */
export function destroyElement(options: DestroyOptions): Element {
  const destroy = new Element('destroy', options.alternate === undefined ? {} : { jid: options.alternate.toString() });
  if (options.reason !== undefined && options.reason !== '') destroy.c('reason').t(options.reason);
  if (options.password !== undefined && options.password !== '') destroy.c('password').t(options.password);
  return destroy;
}

/** Tells every occupant, then removes the room; resolves once its stored record is gone. */
export function destroyRoom(engine: MucEngine, room: ChatRoom, options: DestroyOptions): Promise<void> {
  if (!room.registered) return Promise.resolve();
  const destroy = destroyElement(options);
  const occupants = [...room.occupants()];
  for (const occupant of occupants) {
    sendSelfPresences(room, occupant, { type: 'unavailable', role: 'none', affiliation: 'none', destroy });
  }
  for (const occupant of occupants) {
    engine.hooks.notify('muc-occupant-left', { room: room.view, occupant: occupantSnapshot(room, occupant), reason: 'room-destroyed' });
  }
  return engine.discard(room, options.cause, options.reason);
}
