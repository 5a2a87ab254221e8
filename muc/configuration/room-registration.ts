/**
 * Registering with a room (XEP-0045 §7.10): `jabber:iq:register` get returns the
 * `muc#register` form (or the registered nick), set with `muc#register_roomnick` makes the user a
 * member with that nick reserved (§7.12 tells it back through disco#info node `x-roomuser-item`).
 * Every request passes `muc-register-pre` first (nick empty for a get).
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { dataForm, formTypeField, formTypeOf, readFormFields } from './data-form.js';
import { nickConflictCheck } from '../joining/join-checks.js';
import type { MucEngine } from '../muc-engine.js';
import { MUC_NS } from '../muc-ns.js';
import { prepareNick } from '../joining/nick-rules.js';
import { checkAffiliationCapacity } from '../moderation/affiliation-changes.js';
import { applyAffiliationChange } from '../moderation/apply-affiliation-change.js';

type Outcome = true | StanzaError;
const REGISTER = 'jabber:iq:register:query';
const NICK_FIELD = 'muc#register_roomnick';

function registrationForm(room: ChatRoom): Element {
  const query = new Element('query', { xmlns: NS.register });
  query.c('instructions').t('To register with this room, choose the nickname you want to use here.');
  query.cnode(dataForm('form', {
    title: `Registration with ${room.address}`,
    fields: [formTypeField(MUC_NS.register), { var: NICK_FIELD, type: 'text-single', label: 'Desired Nickname' }],
  }));
  return query;
}

/** The nickname a set asks for ('' when absent). */
function requestedNick(stanza: Element): string {
  const form = stanza.getChild('query', NS.register)?.getChild('x', NS.dataForms);
  if (form === undefined) return '';
  const fields = readFormFields(form);
  return fields.ok ? fields.value.get(NICK_FIELD)?.[0] ?? '' : '';
}

function mayRegister(room: ChatRoom, event: StanzaEvent): StanzaError | undefined {
  const affiliation = room.affiliationOf(event.from);
  if (affiliation === 'outcast') return StanzaError.auth('forbidden', { text: 'You are banned from this room', by: room.address });
  // §5.2.1: registering is for open rooms; members-only rooms add members through their admins.
  if (room.config.membersonly && affiliation === 'none') return StanzaError.auth('registration-required', { by: room.address });
  return undefined;
}

function answerGet(engine: MucEngine, room: ChatRoom, event: StanzaEvent): Outcome {
  const problem = mayRegister(room, event);
  if (problem !== undefined) return problem;
  const nick = room.reservedNick(event.from);
  if (nick === undefined) {
    engine.send(iqResult(event.stanza, registrationForm(room)));
    return true;
  }
  const query = new Element('query', { xmlns: NS.register });
  query.c('registered');
  query.c('username').t(nick);
  engine.send(iqResult(event.stanza, query));
  return true;
}

async function answerSet(engine: MucEngine, room: ChatRoom, event: StanzaEvent, nick: string): Promise<Outcome> {
  const problem = mayRegister(room, event);
  if (problem !== undefined) return problem;
  const query = event.stanza.getChild('query', NS.register)!;
  const form = query.getChild('x', NS.dataForms);
  if (form?.attrs.type === 'cancel') return true;
  const fields = form === undefined ? undefined : readFormFields(form);
  if (fields === undefined || !fields.ok || formTypeOf(fields.value) !== MUC_NS.register || nick === '') {
    return StanzaError.modify('bad-request', { text: 'Submit the registration form with a nickname', by: room.address });
  }
  const prepared = prepareNick(engine, room.jid.withResource(nick));
  if (!prepared.ok) return StanzaError.modify('not-acceptable', { text: prepared.error.text, by: room.address });
  const conflict = nickConflictCheck({ room, user: event.from, nick: prepared.value, affiliation: 'none', sameOccupant: undefined, mucX: undefined });
  if (conflict !== undefined) return conflict;
  if (room.affiliationOf(event.from) === 'none') {
    // `muc_max_affiliations`: registering makes the user a member (§7.10).
    const full = checkAffiliationCapacity(room.affiliationCount, room.affiliationCount + 1, engine.options.muc_max_affiliations);
    if (full !== undefined) return full.withBy(room.address);
    applyAffiliationChange(engine, room, event.from, 'member', {});
  }
  room.reserveNick(event.from, prepared.value);
  await engine.persist(room);
  return true;
}

async function handleRegister(engine: MucEngine, event: StanzaEvent): Promise<Outcome> {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  const type = event.stanza.attrs.type === 'set' ? 'set' : 'get';
  const nick = type === 'set' ? requestedNick(event.stanza) : '';
  const veto = await engine.veto('muc-register-pre', { room: room.view, user: event.from, nick, type, stanza: event.stanza });
  if (veto !== undefined) return veto;
  if (!room.registered) return StanzaError.cancel('item-not-found', { by: engine.domain });
  if (type === 'get') return answerGet(engine, room, event);
  const outcome = await answerSet(engine, room, event, nick);
  if (outcome === true) engine.send(iqResult(event.stanza));
  return outcome;
}

/** Hooks `jabber:iq:register` get and set on rooms. */
export function registerRoomRegistration(engine: MucEngine): void {
  engine.ctx.hook(`iq-get/bare/${REGISTER}`, (event) => handleRegister(engine, event));
  engine.ctx.hook(`iq-set/bare/${REGISTER}`, (event) => handleRegister(engine, event));
}
