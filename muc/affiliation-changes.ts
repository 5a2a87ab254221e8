/**
 * Who may change whose affiliation (XEP-0045 §5.2.2 affiliation state chart; §9.1 ban, §9.3/§9.4
 * membership, §10.3–§10.5 owners, §10.6–§10.8 admins).
 *
 * Error conditions, in the order they are checked:
 * - `forbidden`: the actor is neither admin nor owner (§9: "the service MUST return a <forbidden/>
 *   error"), or an admin grants or revokes admin/owner status, which only owners may do (§10.3,
 *   §10.4, §10.6, §10.7: "If the <user@host> of the 'from' address does not match the bare JID of a
 *   room owner, the service MUST return a <forbidden/> error");
 * - `conflict`: an admin or owner bans themselves (§9.1: "If an admin or owner attempts to ban
 *   himself, the service MUST deny the request and return a <conflict/> error"), or the last owner
 *   gives up ownership (§10.2, §10.4, §10.5: "MUST return a <conflict/> error to the owner");
 * - `not-allowed`: an admin bans an admin or owner (§9.1: "a user cannot be banned by an admin with
 *   a lower affiliation … MUST deny the request and return a <not-allowed/> error"; the state chart
 *   leaves banning an admin to owners).
 */
import { err, ok, StanzaError, type Result } from '../server/errors/index.js';
import { isAdminOrOwner, type Affiliation } from './roles-affiliations.js';

export interface AffiliationChangeContext {
  /** How many owners the room has now (including the target, if an owner). */
  readonly ownerCount: number;
  /** Whether the target's bare JID is the actor's. */
  readonly isSelf: boolean;
}

function forbidden(text: string): StanzaError {
  return StanzaError.auth('forbidden', { text });
}

function conflict(text: string): StanzaError {
  return StanzaError.cancel('conflict', { text });
}

/** What an admin (not an owner) may not do. */
function checkAdmin(targetCurrent: Affiliation, newAffiliation: Affiliation): StanzaError | undefined {
  if (isAdminOrOwner(newAffiliation)) return forbidden('Only owners grant admin or owner status');
  if (isAdminOrOwner(targetCurrent)) {
    if (newAffiliation === 'outcast') {
      return StanzaError.cancel('not-allowed', { text: 'An admin cannot ban an admin or owner' });
    }
    return forbidden('Only owners revoke admin or owner status');
  }
  return undefined;
}

/**
 * Whether `actor` may set the affiliation of a user currently affiliated `targetCurrent` to
 * `newAffiliation`.
 */
export function canChangeAffiliation(
  actor: { readonly affiliation: Affiliation },
  targetCurrent: Affiliation,
  newAffiliation: Affiliation,
  context: AffiliationChangeContext,
): Result<void, StanzaError> {
  if (!isAdminOrOwner(actor.affiliation)) return err(forbidden('Only admins and owners change affiliations'));
  if (context.isSelf && newAffiliation === 'outcast') return err(conflict('You cannot ban yourself'));
  if (actor.affiliation === 'admin') {
    const problem = checkAdmin(targetCurrent, newAffiliation);
    return problem === undefined ? ok(undefined) : err(problem);
  }
  const givesUpOwnership = context.isSelf && targetCurrent === 'owner' && newAffiliation !== 'owner';
  if (givesUpOwnership && context.ownerCount <= 1) return err(conflict('A room needs at least one owner'));
  return ok(undefined);
}
