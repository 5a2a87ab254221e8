/**
 * What a refresh changed (spec §3.6.3): contacts added, removed, and — [IMPROVEMENT], the
 * original ignored these — contacts whose name or groups changed.
 */
import type { Roster, RosterItem } from '../../index.js';

export interface RosterDiff {
  /** Items new to the roster. */
  readonly added: readonly RosterItem[];
  /** Bare JIDs no longer in the roster. */
  readonly removed: readonly string[];
  /** Items still present whose name or groups differ (the new item). */
  readonly changed: readonly RosterItem[];
}

/** Same groups, in whatever order. */
function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((group) => set.has(group));
}

function sameItem(a: RosterItem, b: RosterItem): boolean {
  return a.name === b.name && a.subscription === b.subscription && sameGroups(a.groups, b.groups);
}

export function diffRosters(before: Roster, after: Roster): RosterDiff {
  const added: RosterItem[] = [];
  const changed: RosterItem[] = [];
  const removed: string[] = [];
  for (const [jid, item] of after.items) {
    const previous = before.items.get(jid);
    if (previous === undefined) added.push(item);
    else if (!sameItem(previous, item)) changed.push(item);
  }
  for (const jid of before.items.keys()) if (!after.items.has(jid)) removed.push(jid);
  return { added, removed, changed };
}

export function isEmptyDiff(diff: RosterDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
