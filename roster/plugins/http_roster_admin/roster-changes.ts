/**
 * What a refresh changed, as the roster service takes it (spec §3.6.3): contacts added and
 * changed are set (each with the item it replaces), contacts gone are removed. The roster service
 * pushes them to the interested sessions, shares the user's presence with new contacts and probes
 * them, and withdraws it from removed ones. The backend's rosters carry no version (RFC 6121 §2.6
 * is not offered), so no `version` is given.
 */
import type { Roster, RosterChangeSet, RosterItem } from '../../index.js';
import type { RosterDiff } from './roster-diff.js';

export function rosterChangesOf(before: Roster, diff: RosterDiff): RosterChangeSet {
  const removed: RosterItem[] = [];
  for (const jid of diff.removed) {
    const item = before.items.get(jid);
    if (item !== undefined) removed.push(item);
  }
  return {
    set: [...diff.added.map((item) => ({ item })), ...diff.changed.map((item) => ({ item, previous: before.items.get(item.jid) }))],
    removed,
  };
}
