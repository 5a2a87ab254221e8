/**
 * Replacing a whole roster with the items a caller sends (pure): which items are set (new or
 * different), which are removed, and the new item map. What a client cannot see is kept where
 * it still makes sense: a pending request to the contact (`ask`) while the subscription has no
 * `to`, a pre-approval while it has no `from` (RFC 6121 §3.4). Pending inbound requests live
 * apart (`Roster.pendingIn`) and are untouched.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { parseJid } from '../../server/jid/index.js';
import type { RosterChangeSet, RosterItem } from '../../roster/index.js';
import type { RosterItemInput } from './roster-schemas.js';

export interface Replacement {
  readonly items: Map<string, RosterItem>;
  readonly changes: RosterChangeSet;
}

export type ReplacementProblem =
  | { readonly kind: 'invalid-jid'; readonly index: number }
  | { readonly kind: 'duplicate-jid'; readonly index: number };

function sameItem(a: RosterItem, b: RosterItem): boolean {
  return a.jid === b.jid && a.name === b.name && a.subscription === b.subscription && a.ask === b.ask
    && a.approved === b.approved && a.groups.length === b.groups.length && a.groups.every((group, index) => group === b.groups[index]);
}

function itemFrom(jid: string, input: RosterItemInput, previous: RosterItem | undefined): RosterItem {
  const item: RosterItem = { jid, groups: [...new Set(input.groups)], subscription: input.subscription };
  if (input.name !== undefined && input.name !== '') item.name = input.name;
  const hasTo = input.subscription === 'to' || input.subscription === 'both';
  const hasFrom = input.subscription === 'from' || input.subscription === 'both';
  if (previous?.ask !== undefined && !hasTo) item.ask = previous.ask;
  if (previous?.approved === true && !hasFrom) item.approved = true;
  if (previous?.pendingIn === true) item.pendingIn = true;
  return item;
}

/** The roster `current` becomes with `inputs`, or the first input that cannot be an item. */
export function replaceRoster(current: ReadonlyMap<string, RosterItem>, inputs: readonly RosterItemInput[]): Result<Replacement, ReplacementProblem> {
  const items = new Map<string, RosterItem>();
  const set: { item: RosterItem; previous?: RosterItem }[] = [];
  for (const [index, input] of inputs.entries()) {
    const parsed = parseJid(input.jid);
    if (!parsed.ok || parsed.value.resource !== '') return err({ kind: 'invalid-jid', index });
    const jid = parsed.value.toString();
    if (items.has(jid)) return err({ kind: 'duplicate-jid', index });
    const previous = current.get(jid);
    const item = itemFrom(jid, input, previous);
    items.set(jid, item);
    if (previous === undefined || !sameItem(previous, item)) set.push(previous === undefined ? { item } : { item, previous });
  }
  const removed = [...current.values()].filter((item) => !items.has(item.jid));
  return ok({ items, changes: { set, removed } });
}
