/**
 * Checking a batch of affiliation changes (`MucService.setAffiliations`) before anything changes,
 * so that it applies completely or not at all: every JID parses (its bare part is used), no JID
 * appears twice, the room keeps an owner if it had one (XEP-0045 §10.5: "at least one owner"),
 * and the room stays within `muc_max_affiliations` (growing past it is refused, shrinking never
 * is, as for the `muc#admin` iq). Pure: the room is seen through `BatchRoom`.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { toJid, type Jid } from '../../server/jid/index.js';
import type { AffiliationBatchProblem, AffiliationChange } from '../muc-service.js';
import { affiliationCountAfter } from '../moderation/affiliation-changes.js';
import { isAffiliation, type Affiliation } from '../rooms/roles-affiliations.js';

/** What the check needs to know of the room. */
export interface BatchRoom {
  affiliationOfBare(bare: string): Affiliation;
  readonly affiliationCount: number;
  ownerCount(): number;
}

/** One checked change. */
export interface PlannedAffiliation {
  readonly jid: Jid;
  readonly affiliation: Affiliation;
  readonly reason: string | undefined;
}

function problem(kind: AffiliationBatchProblem['problem'], index: number): AffiliationBatchProblem {
  return { problem: kind, index };
}

/** The first demotion of an owner, when the batch would leave a room that had owners without one. */
function lastOwnerIndex(room: BatchRoom, planned: readonly PlannedAffiliation[]): number | undefined {
  const before = room.ownerCount();
  let after = before;
  let firstDemotion: number | undefined;
  planned.forEach((change, index) => {
    const was = room.affiliationOfBare(change.jid.toString()) === 'owner';
    const is = change.affiliation === 'owner';
    if (was && !is) {
      after -= 1;
      firstDemotion ??= index;
    } else if (!was && is) after += 1;
  });
  return before > 0 && after === 0 ? firstDemotion : undefined;
}

/** The first entry that adds a JID past the bound, if the batch grows the lists past it. */
function overLimitIndex(room: BatchRoom, planned: readonly PlannedAffiliation[], max: number): number | undefined {
  const changes = planned.map((change) => ({ bare: change.jid.toString(), affiliation: change.affiliation }));
  const after = affiliationCountAfter(room.affiliationCount, (bare) => room.affiliationOfBare(bare), changes);
  if (after <= room.affiliationCount || after <= max) return undefined;
  let count = room.affiliationCount;
  for (const [index, change] of changes.entries()) {
    if (room.affiliationOfBare(change.bare) === 'none' && change.affiliation !== 'none') count += 1;
    if (count > max) return index;
  }
  return changes.length - 1;
}

/** The checked batch, or the first entry at fault. */
export function planAffiliationBatch(
  room: BatchRoom, changes: readonly AffiliationChange[], maxAffiliations: number,
): Result<PlannedAffiliation[], AffiliationBatchProblem> {
  const planned: PlannedAffiliation[] = [];
  const seen = new Set<string>();
  for (const [index, change] of changes.entries()) {
    const jid = toJid(change.jid)?.bare();
    if (jid === undefined || jid.domain === '') return err(problem('invalid-jid', index));
    if (!isAffiliation(change.affiliation)) return err(problem('invalid-affiliation', index));
    const key = jid.toString();
    if (seen.has(key)) return err(problem('duplicate-jid', index));
    seen.add(key);
    planned.push({ jid, affiliation: change.affiliation, reason: change.reason === '' ? undefined : change.reason });
  }
  const lastOwner = lastOwnerIndex(room, planned);
  if (lastOwner !== undefined) return err(problem('last-owner', lastOwner));
  const overLimit = overLimitIndex(room, planned, maxAffiliations);
  if (overLimit !== undefined) return err(problem('affiliation-limit', overLimit));
  return ok(planned);
}
