/**
 * The room subject (XEP-0045 §8.1, §7.2.15): sent last to every joining session (an empty
 * `<subject/>` when there is none), changed by a groupchat message with `<subject/>` and no body
 * by moderators, or by participants when `muc#roomconfig_changesubject` allows.
 */
import { Element } from 'ltx';
import type { StanzaError } from '../../server/errors/index.js';
import { NS, serializeElement } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { canChangeSubject } from '../rooms/occupant-permissions.js';
import { SharedStanza, sendShared } from './shared-stanza.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';

/** §8.1: a subject change is a groupchat message with a <subject/> and no <body/>. */
export function isSubjectChange(message: Element): boolean {
  return message.getChild('subject') !== undefined && message.getChild('body') === undefined;
}

/** The subject message as a joining session receives it (§7.2.15), without `to`. */
export function subjectMessage(room: ChatRoom): Element {
  const subject = room.subject;
  const from = subject?.nick === undefined ? room.address : `${room.address}/${subject.nick}`;
  const message = new Element('message', { from, type: 'groupchat' });
  const element = message.c('subject');
  if (subject !== undefined && subject.text !== '') element.t(subject.text);
  return message;
}

/** Applies and broadcasts a subject change, or returns why it is refused (§8.1: <forbidden/>). */
export function changeSubject(engine: MucEngine, room: ChatRoom, occupant: RoomOccupant, message: Element): StanzaError | undefined {
  const allowed = canChangeSubject(room.config, occupant);
  if (!allowed.ok) return allowed.error.withBy(room.address);
  const text = message.getChildText('subject') ?? '';
  room.subject = text === '' ? undefined : { text, nick: occupant.nick };
  const out = new Element('message', { from: occupant.jid.toString(), type: 'groupchat' });
  if (message.attrs.id !== undefined) out.attrs.id = message.attrs.id;
  out.c('subject').t(text);
  out.c('occupant-id', { xmlns: NS.occupantId, id: occupant.occupantId });
  const shared = new SharedStanza(serializeElement(out));
  for (const other of room.occupants()) for (const target of other.sessions.values()) sendShared(target, shared);
  if (room.config.persistentroom) void engine.persist(room);
  return undefined;
}

/**
 * The room itself sets the subject (a declared room's `subject`): occupants receive it from the
 * room's bare JID (§8.1 allows the room as the subject's sender), and a persistent room stores it.
 */
export function setSubjectAsRoom(engine: MucEngine, room: ChatRoom, text: string): void {
  room.subject = text === '' ? undefined : { text, nick: undefined };
  const shared = new SharedStanza(serializeElement(subjectMessage(room)));
  for (const occupant of room.occupants()) for (const target of occupant.sessions.values()) sendShared(target, shared);
  if (room.config.persistentroom) void engine.persist(room);
}
