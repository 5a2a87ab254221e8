/**
 * What `muc-occupant-pre-join` handlers grant an entry (the payload's `grant`: a nickname, a role,
 * an affiliation) and how the engine applies it without leaving XEP-0045's rules. Applied after
 * every handler allowed the entry and before the built-in checks, so the checks see the room as it
 * will be (a granted member passes members-only, a forced nickname is checked for conflicts);
 * nothing is stored before every check has passed.
 *
 * - `nick` replaces the requested nickname, prepared like any other (RFC 8266, `muc_max_nick_length`);
 *   the self-presence then carries status 210 (§7.2.2 "the service has assigned or modified the
 *   occupant's roomnick").
 * - `affiliation` is stored in the room as an owner would set it (§9, §10): a long-lived
 *   association (§5.2) that member lists, members-only checks and archives see. It never lifts a
 *   ban (§7.2.7: the ban check still refuses), never demotes the only owner (a room keeps an owner,
 *   §10.5), and does not apply to a join that creates the room (its creator is its owner, §10.1.1).
 * - `role` is the role a new occupant enters with. Admins and owners are always moderators (§5.1.2,
 *   and §8.4 forbids revoking their voice), so a lower role is ignored for them; a role cannot
 *   admit someone the room would not admit (a non-member of a members-only room stays out).
 */
import type { Jid } from '../../server/jid/index.js';
import type { OccupantPreJoinEvent } from '../events.js';
import type { MucEngine } from '../muc-engine.js';
import { applyAffiliationChange } from '../moderation/apply-affiliation-change.js';
import { affiliationCountAfter, checkAffiliationCapacity } from '../moderation/affiliation-changes.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { StanzaError } from '../../server/errors/index.js';
import { defaultRole, isAdminOrOwner, type Affiliation, type Role, type RoomKind } from '../rooms/roles-affiliations.js';

/** What handlers may grant one entry. */
export type JoinGrant = OccupantPreJoinEvent['grant'];

/** The affiliation an entry is checked with, and whether it must be stored once the entry passes. */
export interface GrantedAffiliation {
  readonly affiliation: Affiliation;
  readonly store: boolean;
}

/** The facts about the room and the user that limit an affiliation grant. */
export interface AffiliationFacts {
  /** The user's affiliation with the room now. */
  readonly current: Affiliation;
  /** The entry creates the room (its creator becomes owner). */
  readonly creating: boolean;
  /** How many owners the room has now. */
  readonly ownerCount: number;
}

/** The affiliation an entry proceeds with under a grant (see the file comment). Pure. */
export function grantedAffiliation(facts: AffiliationFacts, granted: Affiliation | undefined): GrantedAffiliation {
  if (facts.creating) return { affiliation: 'owner', store: false };
  const unchanged = { affiliation: facts.current, store: false };
  if (granted === undefined || granted === facts.current) return unchanged;
  // §7.2.7: a ban set in the room stands; the entry is refused with <forbidden/>.
  if (facts.current === 'outcast') return unchanged;
  if (granted === 'outcast') return unchanged;
  if (facts.current === 'owner' && facts.ownerCount <= 1) return unchanged;
  return { affiliation: granted, store: true };
}

/** The role a new occupant enters with under a grant (see the file comment). Pure. */
export function grantedRole(affiliation: Affiliation, room: RoomKind, granted: Role | undefined): Role {
  const initial = defaultRole(affiliation, room);
  if (initial === 'none' || isAdminOrOwner(affiliation) || granted === undefined || granted === 'none') return initial;
  return granted;
}

/** The affiliation facts of `user` in `room`. */
export function affiliationFacts(room: ChatRoom, user: Jid, creating: boolean): AffiliationFacts {
  return { current: creating ? 'owner' : room.affiliationOf(user), creating, ownerCount: room.ownerCount() };
}

/** `muc_max_affiliations` holds for granted affiliations too; undefined when the grant fits. */
export function grantCapacityProblem(engine: MucEngine, room: ChatRoom, user: Jid, affiliation: Affiliation): StanzaError | undefined {
  const after = affiliationCountAfter(room.affiliationCount, (bare) => room.affiliationOfBare(bare), [{ bare: user.bare().toString(), affiliation }]);
  return checkAffiliationCapacity(room.affiliationCount, after, engine.options.muc_max_affiliations)?.withBy(room.address);
}

/**
 * Stores a granted affiliation once the entry passed every check. The user's other occupants of
 * the room (other nicknames) are updated as for any affiliation change; a user with none there
 * is announced by the join presence itself, which carries the new affiliation, so only the hooks
 * are told here.
 */
export function storeGrantedAffiliation(engine: MucEngine, room: ChatRoom, user: Jid, affiliation: Affiliation): void {
  const bare = user.bare();
  if (room.occupantsOf(bare).length > 0) {
    applyAffiliationChange(engine, room, bare, affiliation, {});
  } else {
    const previous = room.affiliationOf(bare);
    room.setAffiliation(bare, affiliation);
    engine.hooks.notify('muc-affiliation-changed', { room: room.view, jid: bare, affiliation, previous, actor: undefined, reason: undefined });
  }
  if (room.config.persistentroom) void engine.persist(room);
}
