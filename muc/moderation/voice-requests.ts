/**
 * Voice requests (XEP-0045 §7.13, §8.6): a visitor submits a `muc#request` form to the room, which
 * sends every moderator an approval form; a moderator who submits it back with
 * `muc#request_allow` true grants the visitor voice (after `muc-occupant-pre-change`).
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS } from '../../server/xml/index.js';
import { applyRoleChange } from './apply-role-change.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { booleanValue, dataForm, formTypeField, formTypeOf, readFormFields, type SubmittedFields } from '../configuration/data-form.js';
import type { MucEngine } from '../muc-engine.js';
import { occupantAt } from '../joining/nick-rules.js';
import { sendElement } from '../delivery/shared-stanza.js';
import { canChangeRole } from './role-changes.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { occupantSnapshot } from '../rooms/room-view.js';

type Outcome = true | StanzaError;

/** The approval form moderators receive (§8.6 example). */
function approvalForm(room: ChatRoom, visitor: RoomOccupant): Element {
  const message = new Element('message', { from: room.address });
  message.cnode(dataForm('form', {
    title: 'Voice request',
    instructions: 'To approve this request for voice, select the "Grant voice to this person?" checkbox and click OK.',
    fields: [
      formTypeField(NS.mucRequest),
      { var: 'muc#role', type: 'list-single', label: 'Requested role', values: ['participant'], options: [{ value: 'participant' }] },
      { var: 'muc#jid', type: 'jid-single', label: 'User ID', values: [visitor.bareJid.toString()] },
      { var: 'muc#roomnick', type: 'text-single', label: 'Room Nickname', values: [visitor.nick] },
      { var: 'muc#request_allow', type: 'boolean', label: 'Grant voice to this person?', values: [booleanValue(false)] },
    ],
  }));
  return message;
}

function requestVoice(room: ChatRoom, visitor: RoomOccupant): Outcome {
  const form = approvalForm(room, visitor);
  for (const moderator of room.occupants()) {
    if (moderator.role !== 'moderator') continue;
    for (const target of moderator.sessions.values()) sendElement(target, form);
  }
  return true;
}

function isAllowed(fields: SubmittedFields): boolean {
  const value = fields.get('muc#request_allow')?.[0];
  return value === '1' || value === 'true';
}

async function approveVoice(engine: MucEngine, room: ChatRoom, event: StanzaEvent, moderator: RoomOccupant, fields: SubmittedFields): Promise<Outcome> {
  if (!isAllowed(fields)) return true;
  const visitor = occupantAt(room, fields.get('muc#roomnick')?.[0] ?? '');
  if (visitor === undefined) return StanzaError.cancel('item-not-found', { text: 'No such occupant', by: room.address });
  const actor = { role: moderator.role, affiliation: room.affiliationOf(moderator.bareJid) };
  const check = () => canChangeRole(actor, { role: visitor.role, affiliation: room.affiliationOf(visitor.bareJid) }, 'participant');
  const allowed = check();
  if (!allowed.ok) return allowed.error.withBy(room.address);
  const veto = await engine.veto('muc-occupant-pre-change', {
    room: room.view, occupant: occupantSnapshot(room, visitor), change: { kind: 'role', role: 'participant' }, actor: event.from, stanza: event.stanza,
  });
  if (veto !== undefined) return veto;
  if (room.occupantByNick(visitor.nick) !== visitor || !check().ok) return true;
  applyRoleChange(engine, room, visitor, 'participant', { actor: { nick: moderator.nick, jid: event.from.bare() } });
  return true;
}

/** Handles a `muc#request` form sent to the room; undefined when the form is of another kind. */
export function handleVoiceForm(engine: MucEngine, room: ChatRoom, event: StanzaEvent, form: Element): Outcome | Promise<Outcome> | undefined {
  const fields = readFormFields(form);
  if (!fields.ok || formTypeOf(fields.value) !== NS.mucRequest || form.attrs.type !== 'submit') return undefined;
  const sender = room.occupantBySession(event.from);
  if (sender === undefined) return StanzaError.modify('not-acceptable', { text: 'You are not in this room', by: room.address });
  if (sender.role === 'visitor') return requestVoice(room, sender);
  if (sender.role === 'moderator' && fields.value.has('muc#roomnick')) return approveVoice(engine, room, event, sender, fields.value);
  return true;
}
