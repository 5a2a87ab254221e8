/**
 * XEP-0082 DateTime profile: `CCYY-MM-DDThh:mm:ss[.sss]TZD`, TZD being `Z` or `±hh:mm`.
 * Used for `<history since='…'/>` (XEP-0045 §7.2.14) and `<delay stamp='…'/>` (XEP-0203).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validOffset(tzd: string): boolean {
  if (tzd === 'Z') return true;
  const hours = Number(tzd.slice(1, 3));
  const minutes = Number(tzd.slice(4, 6));
  return hours <= 23 && minutes <= 59;
}

/**
 * Parses an XEP-0082 DateTime; undefined when the text is not one (including impossible dates
 * such as February 30th or hour 24, which `Date.parse` would silently roll over).
 */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', tzd = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || !validOffset(tzd)) return undefined;
  // Millisecond precision is all a Date holds; longer fractions are truncated.
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${tzd}`);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Formats a UTC XEP-0082 DateTime; milliseconds appear only when non-zero. */
export function formatDateTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
