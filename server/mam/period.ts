/**
 * Retention periods written the way Prosody's config takes them (`module:get_option_period`):
 * a number of seconds, or a string such as "1w", "2 days", "6 hours", "1y", and "never" (or
 * false) to keep forever. A bare "m" means months, as Prosody reads it ("1m" is 31 days; write
 * "1min" for a minute). Prosody's units: s, min, h, d, w, mon (31 days), y (365.2425 days).
 * Read by `archive_expires_after` (user archives) and `muc_log_expires_after` (room archives).
 */
import { err, ok, type Result } from '../errors/index.js';

const DAY = 86_400;

/** Seconds per unit word; each also taken with a plural `s`. */
const UNIT_SECONDS: ReadonlyMap<string, number> = new Map([
  ['s', 1], ['sec', 1], ['second', 1],
  ['min', 60], ['minute', 60],
  ['h', 3600], ['hour', 3600],
  ['d', DAY], ['day', DAY],
  ['w', 7 * DAY], ['week', 7 * DAY],
  ['m', 31 * DAY], ['mo', 31 * DAY], ['mon', 31 * DAY], ['month', 31 * DAY],
  ['y', 365.2425 * DAY], ['year', 365.2425 * DAY],
]);

/** A period in seconds, or `never`. */
export type ArchivePeriod = number | 'never';

/** Reads a period option's value; the error says what was expected. */
export function parseArchivePeriod(value: unknown): Result<ArchivePeriod, string> {
  if (value === false || value === 'never') return ok('never');
  if (typeof value === 'number') {
    return Number.isFinite(value) && value > 0 ? ok(value) : err('a period must be more than 0 seconds');
  }
  if (typeof value !== 'string') return err('expected a number of seconds or a period such as "1w", "2 days" or "never"');
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/.exec(value.toLowerCase());
  if (match === null) return err(`"${value}" is not a period (write e.g. "1w", "2 days", "12h" or "never")`);
  const count = Number(match[1]);
  const word = match[2] ?? '';
  if (count <= 0) return err('a period must be more than 0 seconds');
  if (word === '') return ok(count);
  // A unit name, singular or plural: "w", "week", "weeks".
  const seconds = UNIT_SECONDS.get(word) ?? (word.endsWith('s') ? UNIT_SECONDS.get(word.slice(0, -1)) : undefined);
  return seconds === undefined ? err(`"${value}": unknown unit "${word}" (s, min, h, d, w, m(onths), y)`) : ok(count * seconds);
}
