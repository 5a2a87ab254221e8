/**
 * `muc/moderation/`: changing who holds which role and affiliation. This file answers
 * `muc#admin` queries; `admin-items.ts` reads and checks their items, `role-changes.ts` and
 * `affiliation-changes.ts` decide who may change whom, the `apply-*` files carry a change out (kick,
 * ban, voice, membership), and `voice-requests.ts` handles a visitor asking for voice.
 *
 * `muc#admin` requests to a room (XEP-0045 §8, §9, §10): role and affiliation lists (get) and
 * role and affiliation changes (set). A set is checked as a whole, then role changes pass
 * `muc-occupant-pre-change`, then it is checked again against the room as it is after the wait and
 * applied; the result is sent once any persistent change is durable.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import { parseAdminItems, planAdminChanges, type PlannedChange } from './admin-items.js';
import { affiliationCountAfter, checkAffiliationCapacity } from './affiliation-changes.js';
import { applyAffiliationChange } from './apply-affiliation-change.js';
import { applyRoleChange, type ChangeContext } from './apply-role-change.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { occupantSnapshot } from '../rooms/room-view.js';
import { isAdminOrOwner, isAffiliation, isRole, type Affiliation, type Role } from '../rooms/roles-affiliations.js';

type Outcome = true | StanzaError;
const ADMIN = 'http://jabber.org/protocol/muc#admin:query';

function forbidden(room: ChatRoom): StanzaError {
  return StanzaError.auth('forbidden', { text: 'You may not see this list', by: room.address });
}

/** §9.5, §10.5, §10.8: affiliation lists, for admins and owners (members: the member list of a non-anonymous room). */
function affiliationList(room: ChatRoom, requester: Affiliation, wanted: Affiliation): Element | StanzaError {
  const memberMayRead = requester === 'member' && wanted === 'member' && room.config.whois === 'anyone';
  if (!isAdminOrOwner(requester) && !memberMayRead) return forbidden(room);
  const query = new Element('query', { xmlns: NS.mucAdmin });
  for (const entry of room.view.affiliations()) {
    if (entry.affiliation !== wanted) continue;
    query.c('item', entry.nick === undefined
      ? { affiliation: wanted, jid: entry.jid.toString() }
      : { affiliation: wanted, jid: entry.jid.toString(), nick: entry.nick });
  }
  return query;
}

/** §8.5 (voice list), §9.8 (moderator list): role lists, for moderators. */
function roleList(room: ChatRoom, requesterRole: Role, requester: Affiliation, wanted: Role): Element | StanzaError {
  if (requesterRole !== 'moderator' && !isAdminOrOwner(requester)) return forbidden(room);
  const query = new Element('query', { xmlns: NS.mucAdmin });
  for (const occupant of room.occupants()) {
    if (occupant.role !== wanted) continue;
    query.c('item', {
      role: wanted, nick: occupant.nick, affiliation: room.affiliationOf(occupant.bareJid), jid: occupant.primary.jid.toString(),
    });
  }
  return query;
}

function handleAdminGet(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { by: engine.domain });
  const items = event.stanza.getChild('query', NS.mucAdmin)?.getChildren('item', NS.mucAdmin) ?? [];
  const { role, affiliation } = (items[0]?.attrs ?? {}) as Record<string, string | undefined>;
  if (items.length !== 1 || (role === undefined) === (affiliation === undefined)) {
    return StanzaError.modify('bad-request', { text: 'Ask for one role or affiliation list', by: room.address });
  }
  const requester = room.affiliationOf(event.from);
  let list: Element | StanzaError;
  if (isAffiliation(affiliation) && affiliation !== 'none') list = affiliationList(room, requester, affiliation);
  else if (isRole(role) && role !== 'none') list = roleList(room, room.occupantBySession(event.from)?.role ?? 'none', requester, role);
  else return StanzaError.modify('bad-request', { text: 'No such list', by: room.address });
  if (list instanceof StanzaError) return list;
  engine.send(iqResult(event.stanza, list));
  return true;
}

/** `muc-occupant-pre-change` for every role change of the request; the first veto wins. */
async function roleVetoes(engine: MucEngine, room: ChatRoom, event: StanzaEvent, plan: readonly PlannedChange[]): Promise<StanzaError | undefined> {
  for (const change of plan) {
    if (change.kind !== 'role') continue;
    const occupant = occupantSnapshot(room, change.occupant);
    const veto = await engine.veto('muc-occupant-pre-change', { room: room.view, occupant, change: { kind: 'role', role: change.role }, actor: event.from, stanza: event.stanza });
    if (veto !== undefined) return veto;
  }
  return undefined;
}

/** `muc_max_affiliations`: the request as a whole must leave the room within the bound. */
function affiliationBound(engine: MucEngine, room: ChatRoom, plan: readonly PlannedChange[]): StanzaError | undefined {
  const changes = [];
  for (const change of plan) if (change.kind === 'affiliation') changes.push({ bare: change.jid.bare().toString(), affiliation: change.affiliation });
  if (changes.length === 0) return undefined;
  const after = affiliationCountAfter(room.affiliationCount, (bare) => room.affiliationOfBare(bare), changes);
  return checkAffiliationCapacity(room.affiliationCount, after, engine.options.muc_max_affiliations);
}

function applyPlan(engine: MucEngine, room: ChatRoom, event: StanzaEvent, plan: readonly PlannedChange[]): void {
  const actorOccupant = room.occupantBySession(event.from);
  const actor = actorOccupant === undefined ? { jid: event.from.bare() } : { nick: actorOccupant.nick, jid: event.from.bare() };
  for (const change of plan) {
    const context: ChangeContext = { actor, ...(change.reason !== undefined ? { reason: change.reason } : {}) };
    if (change.kind === 'affiliation') applyAffiliationChange(engine, room, change.jid, change.affiliation, context);
    else if (room.occupantByNick(change.occupant.nick) === change.occupant) applyRoleChange(engine, room, change.occupant, change.role, context);
  }
}

async function handleAdminSet(engine: MucEngine, event: StanzaEvent): Promise<Outcome> {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { by: engine.domain });
  const items = parseAdminItems(event.stanza.getChild('query', NS.mucAdmin)!);
  if (!items.ok) return items.error.withBy(room.address);
  const first = planAdminChanges(room, event.from, items.value);
  if (!first.ok) return first.error;
  const veto = await roleVetoes(engine, room, event, first.value);
  if (veto !== undefined) return veto;
  if (!room.registered) return StanzaError.cancel('item-not-found', { by: engine.domain });
  const plan = planAdminChanges(room, event.from, items.value);
  if (!plan.ok) return plan.error;
  const full = affiliationBound(engine, room, plan.value);
  if (full !== undefined) return full.withBy(room.address);
  applyPlan(engine, room, event, plan.value);
  if (plan.value.some((change) => change.kind === 'affiliation') && room.registered) await engine.persist(room);
  engine.send(iqResult(event.stanza));
  return true;
}

/** Hooks the `muc#admin` get and set handlers on the service. */
export function registerAdminQueries(engine: MucEngine): void {
  engine.ctx.hook(`iq-get/bare/${ADMIN}`, (event) => handleAdminGet(engine, event));
  engine.ctx.hook(`iq-set/bare/${ADMIN}`, (event) => handleAdminSet(engine, event));
}
