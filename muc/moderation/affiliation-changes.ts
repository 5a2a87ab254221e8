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
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { isAdminOrOwner, type Affiliation } from '../rooms/roles-affiliations.js';

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

/**
 * `muc_max_affiliations`: the default bound on the JIDs with an affiliation in one room. A normal
 * room lists fewer than a few hundred members, admins and outcasts; the lists are kept in memory
 * and written whole with the room's record on every change.
 */
export const DEFAULT_MAX_AFFILIATIONS = 2000;

/**
 * Whether a room holding `current` affiliations may hold `after` of them. Shrinking (or staying
 * the same size) is always allowed, so a room over a lowered bound can still be cleaned up.
 * Past the bound: `<policy-violation/>` of type modify (RFC 6120 §8.3.3.12, a local policy, and
 * removing entries makes room), as for Salon's other list bounds (`max_roster_size`,
 * `max_blocklist_size`).
 */
export function checkAffiliationCapacity(current: number, after: number, max: number): StanzaError | undefined {
  if (after <= current || after <= max) return undefined;
  return StanzaError.modify('policy-violation', { text: `A room's affiliation lists are limited to ${max} entries` });
}

/**
 * How many affiliations a room holding `count` of them (`current` gives each bare JID's) holds
 * after `changes`, applied in order (a JID changed twice counts once, with its last affiliation).
 */
export function affiliationCountAfter(
  count: number, current: (bare: string) => Affiliation, changes: Iterable<{ readonly bare: string; readonly affiliation: Affiliation }>,
): number {
  const last = new Map<string, Affiliation>();
  for (const change of changes) last.set(change.bare, change.affiliation);
  let after = count;
  for (const [bare, affiliation] of last) {
    const had = current(bare) !== 'none';
    const has = affiliation !== 'none';
    if (has && !had) after += 1;
    if (had && !has) after -= 1;
  }
  return after;
}
