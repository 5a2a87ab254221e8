/**
 * Who may change whose role (XEP-0045 §5.1.3 role state chart; §8.2 kick, §8.3 grant voice,
 * §8.4 revoke voice, §9.6 grant moderator, §9.7 revoke moderator).
 *
 * Error conditions:
 * - `forbidden` when the actor lacks the privilege class: §8 requests come from moderators and §9
 *   requests from admins ("… the service MUST return a <forbidden/> error");
 * - `not-allowed` when the actor has the privilege but the target is protected: a higher
 *   affiliation (§8.2 "A user cannot be kicked by a moderator with a lower affiliation"), voice of
 *   an admin or owner (§8.4 "MUST NOT allow the voice privileges of an admin or owner to be removed
 *   by anyone"), moderation of an admin or owner revoked by an admin (§9.7);
 * - `item-not-found` when the target is not an occupant (it has no role to change).
 *
 * §8.4 also says a moderator cannot revoke voice from a user "at or above the moderator's level";
 * read literally that would stop unaffiliated moderators from ever revoking voice, contradicting
 * §5.1.1, so the "higher affiliation" rule of §8.2 and §5.1.3 is applied, plus the absolute
 * protection of admins' and owners' voice.
 */
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { AFFILIATION_RANK, isAdminOrOwner, type Affiliation, type Role } from '../rooms/roles-affiliations.js';

/** An occupant (or, for the actor, a possibly absent admin) as far as permissions go. */
export interface RoleHolder {
  readonly role: Role;
  readonly affiliation: Affiliation;
}

function notAllowed(text: string): StanzaError {
  return StanzaError.cancel('not-allowed', { text });
}

function forbidden(text: string): StanzaError {
  return StanzaError.auth('forbidden', { text });
}

/** Granting or taking away the moderator role, including kicking a moderator (§9.6, §9.7, §5.1.3). */
function involvesModerator(target: RoleHolder, newRole: Role): boolean {
  return newRole === 'moderator' || target.role === 'moderator';
}

/**
 * The checks in order: any privilege at all; the target's affiliation (which §8.2 ranks before the
 * privilege class: "if a moderator who is a member attempts to kick an admin … not-allowed"); the
 * privilege class the change needs; the protections of §8.4 and §9.7.
 */
function problemWith(actor: RoleHolder, target: RoleHolder, newRole: Role): StanzaError | undefined {
  const administrator = isAdminOrOwner(actor.affiliation);
  if (actor.role !== 'moderator' && !administrator) return forbidden('Only moderators change roles');
  if (AFFILIATION_RANK[target.affiliation] > AFFILIATION_RANK[actor.affiliation]) {
    return notAllowed('The occupant has a higher affiliation');
  }
  const moderatorChange = involvesModerator(target, newRole);
  // §9.6 / §9.7 are admin use cases; §5.1.3: "Admin or owner grants moderator status".
  if (moderatorChange && !administrator) return forbidden('Only admins and owners change the moderator role');
  // §8: kicking and voice are moderator use cases, for occupants of the room.
  if (!moderatorChange && actor.role !== 'moderator') return forbidden('Only moderators change roles');
  if (newRole === 'visitor' && isAdminOrOwner(target.affiliation)) {
    return notAllowed('Voice cannot be revoked from an admin or owner');
  }
  if (moderatorChange && newRole !== 'moderator' && actor.affiliation === 'admin' && isAdminOrOwner(target.affiliation)) {
    return notAllowed('An admin cannot revoke moderator status from an admin or owner');
  }
  return undefined;
}

/**
 * Whether `actor` may set `target`'s role to `newRole` (`none` is a kick). The actor's role is
 * `none` when the actor is not in the room.
 */
export function canChangeRole(actor: RoleHolder, target: RoleHolder, newRole: Role): Result<void, StanzaError> {
  if (target.role === 'none') return err(StanzaError.cancel('item-not-found', { text: 'No such occupant' }));
  const problem = problemWith(actor, target, newRole);
  return problem === undefined ? ok(undefined) : err(problem);
}
