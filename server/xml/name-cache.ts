/**
 * Element and attribute names recur in every stanza (`message`, `to`, `xmlns`, …). Taking each
 * from a small cache instead of slicing it anew saves an allocation, and the cached copy is the
 * engine's internalized string, so using it as a property key (ltx `attrs`) or comparing it
 * (`getChild('body')`) is cheap. Process-wide: names are not secrets, and a miss only costs a slice.
 */

const SIZE = 512;
/** Longer names are rare and not worth keeping. */
const MAX_LENGTH = 40;

const cache: string[] = new Array<string>(SIZE).fill('');

/** An internalized, flat copy of `name` (not a view into the input it was sliced from). */
function internalize(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

/** The name `s.slice(start, end)`, from the cache when it was seen before. */
export function nameAt(s: string, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_LENGTH) return s.slice(start, end);
  const slot = (length * 7 + s.charCodeAt(start) * 31 + s.charCodeAt(end - 1) * 3 + s.charCodeAt(start + (length >> 1))) & (SIZE - 1);
  const cached = cache[slot] ?? '';
  if (cached.length === length && s.startsWith(cached, start)) return cached;
  const name = internalize(s.slice(start, end));
  cache[slot] = name;
  return name;
}
