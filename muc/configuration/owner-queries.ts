/**
 * `muc/configuration/`: a room's settings and lifecycle. This file answers `muc#owner`
 * queries; the model (`room-config.ts`, `room-config-schema.ts`), its data form (`data-form.ts`,
 * `config-form.ts`, `config-fields.ts`, `config-submit.ts`), who may create rooms
 * (`room-creation.ts`), destruction (`room-destroy.ts`) and registration with a room
 * (`room-registration.ts`) live beside it.
 *
 * `muc#owner` requests to a room (XEP-0045 §10): the configuration form (get), a submitted or
 * cancelled configuration (set, §10.1.2 instant room, §10.1.3 reserved room, §10.2), and room
 * destruction (§10.9). Owners only (<forbidden/> otherwise).
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { configForm } from './config-form.js';
import { applyConfigSubmit } from './config-submit.js';
import { unknownConfigField } from './config-fields.js';
import type { MucEngine } from '../muc-engine.js';
import { applyConfiguration } from './apply-configuration.js';
import { destroyRoom } from './room-destroy.js';

type Outcome = true | StanzaError;
const OWNER = 'http://jabber.org/protocol/muc#owner:query';

/** The room, if the requester owns it; else the error to answer with. */
function ownedRoom(engine: MucEngine, event: StanzaEvent): ChatRoom | StanzaError {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { by: engine.domain });
  if (room.affiliationOf(event.from) !== 'owner') return StanzaError.auth('forbidden', { text: 'Only owners configure the room', by: room.address });
  return room;
}

function handleOwnerGet(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = ownedRoom(engine, event);
  if (room instanceof StanzaError) return room;
  const query = new Element('query', { xmlns: NS.mucOwner });
  query.cnode(configForm(room.config, {
    roomJid: room.address, maxHistory: engine.options.max_history_messages, archiving: engine.archiving?.offersConfigField === true,
  }));
  engine.send(iqResult(event.stanza, query));
  return true;
}

async function submitConfiguration(engine: MucEngine, room: ChatRoom, form: Element, owner: Jid): Promise<Outcome> {
  const unknown = unknownConfigField(form);
  if (unknown !== undefined) return StanzaError.modify('not-acceptable', { text: `Unknown field ${unknown}`, by: room.address });
  const result = applyConfigSubmit(room.config, form, { maxHistory: engine.options.max_history_messages });
  if (!result.ok) return result.error.withBy(room.address);
  if (result.value.outcome === 'cancel') {
    // §10.1.3: cancelling the initial configuration destroys the new room.
    if (room.locked) await destroyRoom(engine, room, { cause: 'destroyed' });
    return true;
  }
  applyConfiguration(engine, room, result.value.config, owner);
  await engine.persist(room);
  engine.releaseIfEmpty(room);
  return true;
}

function alternateVenue(destroy: Element): Jid | undefined | StanzaError {
  const text = destroy.attrs.jid as string | undefined;
  if (text === undefined) return undefined;
  const parsed = parseJid(text);
  return parsed.ok ? parsed.value : StanzaError.modify('jid-malformed', { text: 'Invalid alternate venue' });
}

async function destroyRequest(engine: MucEngine, room: ChatRoom, destroy: Element): Promise<Outcome> {
  const alternate = alternateVenue(destroy);
  if (alternate instanceof StanzaError) return alternate.withBy(room.address);
  const reason = destroy.getChildText('reason') ?? undefined;
  const password = destroy.getChildText('password') ?? undefined;
  await destroyRoom(engine, room, {
    cause: 'destroyed',
    ...(reason !== undefined ? { reason } : {}),
    ...(alternate !== undefined ? { alternate } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  return true;
}

async function handleOwnerSet(engine: MucEngine, event: StanzaEvent): Promise<Outcome> {
  const room = ownedRoom(engine, event);
  if (room instanceof StanzaError) return room;
  const query = event.stanza.getChild('query', NS.mucOwner)!;
  const destroy = query.getChild('destroy', NS.mucOwner);
  const form = query.getChild('x', NS.dataForms);
  let outcome: Outcome;
  if (destroy !== undefined) outcome = await destroyRequest(engine, room, destroy);
  else if (form !== undefined) outcome = await submitConfiguration(engine, room, form, event.from);
  else outcome = StanzaError.modify('bad-request', { text: 'Expected a data form or <destroy/>', by: room.address });
  if (outcome === true) engine.send(iqResult(event.stanza));
  return outcome;
}

/** Hooks the `muc#owner` get and set handlers on the service. */
export function registerOwnerQueries(engine: MucEngine): void {
  engine.ctx.hook(`iq-get/bare/${OWNER}`, (event) => handleOwnerGet(engine, event));
  engine.ctx.hook(`iq-set/bare/${OWNER}`, (event) => handleOwnerSet(engine, event));
}
