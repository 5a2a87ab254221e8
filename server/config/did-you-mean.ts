/**
 * Suggestions for misspelt option and module names: the closest known name by
 * Damerau–Levenshtein distance (optimal string alignment), offered only when it is close.
 */

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the transposition rule looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** How far a suggestion may be: two edits, or a quarter of the name for long names. */
function threshold(name: string): number {
  return Math.max(2, Math.floor(name.length / 4));
}

/** The closest candidate within the threshold, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= threshold(name) ? best : undefined;
}

/** ` (did you mean "x"?)`, or an empty string. */
export function suggestionSuffix(name: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
