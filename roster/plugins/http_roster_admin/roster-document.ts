/**
 * The backend's roster document (spec §3.4): a JSON object whose member names are contacts'
 * JIDs and whose values may carry `name` and `groups`. Every contact is `subscription="both"`
 * without `ask` [COMPAT]; what the original crashed on (array groups, non-object values) is read
 * leniently, and member names are normalised as JIDs [IMPROVEMENT].
 */
import { err, ok, type Result } from '../../../server/errors/index.js';
import { parseJid } from '../../../server/jid/index.js';
import { isJsonObject, parseJsonBody } from '../../../server/net/index.js';
import { emptyRoster, type Roster, type RosterItem } from '../../index.js';

export interface RosterDocument {
  readonly roster: Roster;
  /** Member names that are not JIDs (skipped; the caller logs them). */
  readonly invalid: readonly string[];
}

/**
 * `groups` as an object's keys [COMPAT] or an array of strings [IMPROVEMENT]; anything else is
 * no group. Empty names and repeats are dropped (RFC 6121 §2.1.2.4 has no empty group).
 */
function readGroups(value: unknown): string[] {
  const names = Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : isJsonObject(value) ? Object.keys(value) : [];
  return [...new Set(names.filter((name) => name !== ''))];
}

function readItem(jid: string, value: unknown): RosterItem {
  const item: RosterItem = { jid, groups: [], subscription: 'both' };
  if (!isJsonObject(value)) return item;
  if (typeof value.name === 'string') item.name = value.name;
  item.groups = readGroups(value.groups);
  return item;
}

/**
 * Reads a 200 answer's body. Success is a JSON object, or an empty array [COMPAT]; anything else
 * (unparsable, `null`, a string, a non-empty array) is a failure described by the error.
 */
export function parseRosterDocument(body: string): Result<RosterDocument, string> {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return err('the body is not JSON');
  const value = parsed.value;
  if (Array.isArray(value) && value.length === 0) return ok({ roster: emptyRoster(), invalid: [] });
  if (!isJsonObject(value)) return err('the body is not a JSON object');
  const roster = emptyRoster();
  const invalid: string[] = [];
  for (const [name, description] of Object.entries(value)) {
    const jid = parseJid(name);
    if (!jid.ok) {
      invalid.push(name);
      continue;
    }
    // A resource is dropped; two names of one bare JID: the later one wins.
    const bare = jid.value.bare().toString();
    roster.items.delete(bare);
    roster.items.set(bare, readItem(bare, description));
  }
  return ok({ roster, invalid });
}
