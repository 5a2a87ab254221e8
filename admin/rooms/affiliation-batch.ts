/**
 * The entries of a bulk affiliation change, checked before the room is touched (pure): every
 * user a bare JID (or a local part alone, on the API's own host), no user named twice. The first
 * entry at fault is named by its index, so a backend can point at the line of its own list.
 */
import type { Affiliation, AffiliationChange } from '../../muc/index.js';
import { err, ok, type Result } from '../../server/errors/index.js';
import { parseAffiliatedUser } from './room-create-state.js';

export interface AffiliationRequestEntry {
  readonly jid: string;
  readonly affiliation: Affiliation;
  readonly reason?: string | undefined;
}

export interface BatchEntryProblem {
  readonly problem: 'invalid-jid' | 'duplicate-jid';
  readonly index: number;
}

export function parseAffiliationBatch(
  entries: readonly AffiliationRequestEntry[], defaultHost: string,
): Result<AffiliationChange[], BatchEntryProblem> {
  const seen = new Set<string>();
  const changes: AffiliationChange[] = [];
  for (const [index, entry] of entries.entries()) {
    const jid = parseAffiliatedUser(entry.jid, defaultHost);
    if (jid === undefined) return err({ problem: 'invalid-jid', index });
    const key = jid.toString();
    if (seen.has(key)) return err({ problem: 'duplicate-jid', index });
    seen.add(key);
    changes.push(entry.reason === undefined || entry.reason === ''
      ? { jid, affiliation: entry.affiliation }
      : { jid, affiliation: entry.affiliation, reason: entry.reason });
  }
  return ok(changes);
}
