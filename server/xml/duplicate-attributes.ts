/**
 * XML 1.0 §3.1 WFC Unique Att Spec and Namespaces in XML 1.0 §6.3: no two attributes of a tag
 * may have the same name, nor — once prefixes are resolved — the same local part and namespace.
 */
import type { StartTag } from './start-tag.js';

/** Above this many attributes a set beats comparing every pair. */
const PAIRWISE_MAX = 16;

/** The expanded name of attribute `i`: its name if unprefixed, `{uri}local` otherwise. */
function expandedName(tag: StartTag, i: number): string {
  const name = tag.names[i] ?? '';
  const colon = tag.colons[i] ?? -1;
  return colon < 0 ? name : `{${tag.uris[i] ?? ''}}${name.slice(colon + 1)}`;
}

/** Whether prefixed attributes `i` and `j` expand to the same name. */
function isSameExpandedName(tag: StartTag, i: number, j: number): boolean {
  const a = tag.names[i] ?? '';
  const b = tag.names[j] ?? '';
  const colonA = tag.colons[i] ?? -1;
  const colonB = tag.colons[j] ?? -1;
  if (colonA < 0 || colonB < 0 || tag.uris[i] !== tag.uris[j]) return false;
  return a.length - colonA === b.length - colonB && a.endsWith(b.slice(colonB + 1));
}

function findBySet(tag: StartTag): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < tag.count; i++) {
    const name = expandedName(tag, i);
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** The first duplicate among the attributes of `tag` (prefixed names resolved), or undefined. */
export function findDuplicateAttribute(tag: StartTag): string | undefined {
  const count = tag.count;
  // With fewer than two prefixed names, equal names are the only duplicates.
  const prefixed = tag.prefixedCount;
  if (count > PAIRWISE_MAX) return findBySet(tag);
  const names = tag.names;
  for (let i = 1; i < count; i++) {
    const name = names[i];
    for (let j = 0; j < i; j++) {
      if (names[j] === name || (prefixed > 1 && isSameExpandedName(tag, i, j))) return name;
    }
  }
  return undefined;
}
