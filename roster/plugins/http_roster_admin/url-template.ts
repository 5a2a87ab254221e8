/**
 * The `http_roster_url` template (spec §3.3): every `%s` becomes the percent-encoded username,
 * `%%` becomes `%`, and any other `%` stays as written — so a URL that already carries escapes
 * such as `%20` keeps them (the original's printf-style format crashed on those). The usernames
 * `.` and `..` are refused: they would be dot segments (RFC 3986 §5.2.4) and move the request to
 * another path (`/api/users/../contacts` is `/api/contacts`), and escaping does not help, because
 * `%2E%2E` is a dot segment too for URL parsers (WHATWG URL §4.1, the parser `fetch` uses).
 */
import { percentEncode } from '../../../server/net/index.js';

/** The template with each `%s` replaced by the encoded `username` and each `%%` by `%`. */
export function expandRosterUrl(template: string, username: string): string {
  const encoded = percentEncode(username);
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    const next = template[i + 1];
    if (char === '%' && next === 's') {
      out += encoded;
      i += 1;
    } else if (char === '%' && next === '%') {
      out += '%';
      i += 1;
    } else {
      out += char;
    }
  }
  return out;
}

/** Whether the template names the user at all (a `%s` not produced by `%%`). */
export function hasUsernameToken(template: string): boolean {
  return expandRosterUrl(template, 'a') !== expandRosterUrl(template, 'b');
}

/** Every byte `percentEncode` leaves alone but `.`: a username of dots only is a dot segment. */
const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * The URL to fetch `username`'s roster from, or undefined when the name would change the URL's
 * path rather than fill its place in it (`.` and `..`; every other byte is either unreserved or
 * escaped, so no other name can).
 */
export function rosterUrlFor(template: string, username: string): string | undefined {
  return DOT_SEGMENT.test(username) ? undefined : expandRosterUrl(template, username);
}
