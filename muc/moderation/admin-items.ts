/**
 * The `<item/>`s of a `muc#admin` set (XEP-0045 §8, §9, §10) and the check of a whole request
 * before anything changes: every item must name an occupant (by nick, for roles) or a user (by
 * JID, or by an occupant's nick, for affiliations) and be allowed by the §5 rules, so that a
 * request either applies completely or not at all.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';
import { canChangeAffiliation } from './affiliation-changes.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { occupantAt } from '../joining/nick-rules.js';
import { canChangeRole } from './role-changes.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';
import { isAffiliation, isRole, type Affiliation, type Role } from '../rooms/roles-affiliations.js';

/** One parsed `<item/>` of a `muc#admin` set. */
export type AdminItem =
  | { readonly kind: 'role'; readonly nick: string; readonly role: Role; readonly reason: string | undefined }
  | { readonly kind: 'affiliation'; readonly jid: Jid | undefined; readonly nick: string | undefined; readonly affiliation: Affiliation; readonly reason: string | undefined };

/** One checked change, ready to apply. */
export type PlannedChange =
  | { readonly kind: 'role'; readonly occupant: RoomOccupant; readonly role: Role; readonly reason: string | undefined }
  | { readonly kind: 'affiliation'; readonly jid: Jid; readonly affiliation: Affiliation; readonly reason: string | undefined };

function badRequest(text: string): StanzaError {
  return StanzaError.modify('bad-request', { text });
}

function parseItem(item: Element): Result<AdminItem, StanzaError> {
  const { role, affiliation, jid, nick } = item.attrs as Record<string, string | undefined>;
  const reason = item.getChildText('reason') ?? undefined;
  if ((role === undefined) === (affiliation === undefined)) return err(badRequest('An item changes either a role or an affiliation'));
  if (role !== undefined) {
    if (!isRole(role)) return err(badRequest(`Unknown role ${role}`));
    if (nick === undefined) return err(badRequest('A role change names the occupant by nick'));
    return ok({ kind: 'role', nick, role, reason });
  }
  if (!isAffiliation(affiliation)) return err(badRequest(`Unknown affiliation ${String(affiliation)}`));
  if (jid === undefined && nick === undefined) return err(badRequest('An affiliation change names a JID'));
  let target: Jid | undefined;
  if (jid !== undefined) {
    const parsed = parseJid(jid);
    if (!parsed.ok) return err(StanzaError.modify('jid-malformed', { text: 'Invalid JID in item' }));
    target = parsed.value.bare();
  }
  return ok({ kind: 'affiliation', jid: target, nick, affiliation, reason });
}

/** Every item of the query; a request without items is a bad request. */
export function parseAdminItems(query: Element): Result<AdminItem[], StanzaError> {
  const elements = query.getChildren('item', NS.mucAdmin);
  if (elements.length === 0) return err(badRequest('No item to change'));
  const items: AdminItem[] = [];
  for (const element of elements) {
    const parsed = parseItem(element);
    if (!parsed.ok) return parsed;
    items.push(parsed.value);
  }
  return ok(items);
}

function planRole(room: ChatRoom, actor: { role: Role; affiliation: Affiliation }, item: Extract<AdminItem, { kind: 'role' }>): Result<PlannedChange, StanzaError> {
  const occupant = occupantAt(room, item.nick);
  if (occupant === undefined) return err(StanzaError.cancel('item-not-found', { text: 'No such occupant' }));
  const allowed = canChangeRole(actor, { role: occupant.role, affiliation: room.affiliationOf(occupant.bareJid) }, item.role);
  return allowed.ok ? ok({ kind: 'role', occupant, role: item.role, reason: item.reason }) : allowed;
}

/**
 * Checks a request against the room as it is now, as if its items were applied one after the
 * other (a request may hand over ownership before giving it up). `actorJid` is the requester.
 */
export function planAdminChanges(room: ChatRoom, actorJid: Jid, items: readonly AdminItem[]): Result<PlannedChange[], StanzaError> {
  const actorOccupant = room.occupantBySession(actorJid);
  const actor = { role: actorOccupant?.role ?? 'none', affiliation: room.affiliationOf(actorJid) } as const;
  const pending = new Map<string, Affiliation>();
  let owners = room.ownerCount();
  const plan: PlannedChange[] = [];
  for (const item of items) {
    if (item.kind === 'role') {
      const planned = planRole(room, actor, item);
      if (!planned.ok) return err(planned.error.withBy(room.address));
      plan.push(planned.value);
      continue;
    }
    const jid = item.jid ?? (item.nick === undefined ? undefined : occupantAt(room, item.nick)?.bareJid);
    if (jid === undefined) return err(StanzaError.cancel('item-not-found', { text: 'No such occupant', by: room.address }));
    const current = pending.get(jid.toString()) ?? room.affiliationOf(jid);
    const allowed = canChangeAffiliation(actor, current, item.affiliation, { ownerCount: owners, isSelf: jid.equals(actorJid.bare()) });
    if (!allowed.ok) return err(allowed.error.withBy(room.address));
    owners += (item.affiliation === 'owner' ? 1 : 0) - (current === 'owner' ? 1 : 0);
    pending.set(jid.toString(), item.affiliation);
    plan.push({ kind: 'affiliation', jid, affiliation: item.affiliation, reason: item.reason });
  }
  return ok(plan);
}
