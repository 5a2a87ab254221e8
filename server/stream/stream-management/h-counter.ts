/**
 * XEP-0198 §4: `h` counts stanzas modulo 2^32 (it "MUST be reset to zero" after 2^32 - 1). Both
 * directions keep their counts as unsigned 32-bit integers and compare them by distance, so a
 * session that handles four billion stanzas keeps acknowledging correctly.
 */
export const H_MAX = 0xffff_ffff;

/** `h` after one more stanza. */
export function nextH(h: number): number {
  return (h + 1) >>> 0;
}

/** How far `later` is ahead of `earlier`, modulo 2^32. */
export function hDistance(earlier: number, later: number): number {
  return (later - earlier) >>> 0;
}

/** An `h` attribute as sent by a client: a decimal integer in 0 … 2^32 - 1, or undefined. */
export function parseH(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= H_MAX ? value : undefined;
}
