/**
 * Roster versioning (RFC 6121 §2.6, first XEP-0237). A roster's version is a per-user counter
 * that increases with every change a client can see; on the wire it is its decimal string.
 * Salon keeps no change log, so a client with a stale version gets the whole roster again,
 * which §2.6.3 allows in place of the missed pushes.
 */

/** Canonical decimal only, so that every version has exactly one spelling. */
const CANONICAL_VERSION = /^(?:0|[1-9][0-9]{0,15})$/;

/** The `ver` attribute for a roster version. */
export function formatRosterVersion(version: number): string {
  return String(version);
}

/** The version a `ver` attribute names, or undefined when it is not one Salon issued. */
export function parseRosterVersion(ver: string): number | undefined {
  if (!CANONICAL_VERSION.test(ver)) return undefined;
  const version = Number(ver);
  return Number.isSafeInteger(version) ? version : undefined;
}

/** The version after one more change. */
export function nextRosterVersion(version: number): number {
  return version + 1;
}

/** How to answer a roster get (RFC 6121 §2.6.3). */
export type RosterGetPlan =
  /** The client's copy is current: an empty iq result, later changes arrive as pushes. */
  | { readonly kind: 'current' }
  /** Send every item, with this `ver`. */
  | { readonly kind: 'full'; readonly ver: string };

/**
 * Decides the answer to a roster get carrying `requestedVer` (undefined: no `ver` attribute,
 * the client does not cache; `''`: it caches but has nothing yet). Only an exact match with the
 * current version is current; anything else, older or unknown, gets the full roster.
 * The full answer always carries `ver`, harmless to clients that do not cache (as Prosody does).
 */
export function planRosterGet(requestedVer: string | undefined, version: number): RosterGetPlan {
  const ver = formatRosterVersion(version);
  if (requestedVer !== undefined && parseRosterVersion(requestedVer) === version) return { kind: 'current' };
  return { kind: 'full', ver };
}
