/**
 * XEP-0082 DateTimes as MAM reads and writes them: the `start` and `end` filters of a query and
 * the `<delay stamp/>` of a result.
 */

/** `CCYY-MM-DDThh:mm:ss[.sss]TZD`, TZD being `Z` or `±hh:mm`. */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-](\d\d):(\d\d))$/;

/**
 * Milliseconds since the epoch, or undefined when the text is no XEP-0082 DateTime. Impossible
 * dates (February 30th, hour 24) are refused: `Date.parse` alone would roll them over into the
 * next day and widen the query without the client knowing.
 */
export function parseStamp(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined;
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : when;
}

/** A UTC DateTime; milliseconds only when there are some (as Prosody writes its stamps). */
export function formatStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
