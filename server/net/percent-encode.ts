/**
 * Percent-encoding for one URL component (RFC 3986 §2.1, §2.3): the query values of
 * `muc_http_auth` and the username in `http_roster_url`. Stricter than `encodeURIComponent`,
 * which leaves `!'()*` as they are.
 */

/** RFC 3986 §2.3 unreserved characters: the only bytes left as they are. */
const UNRESERVED = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[character.charCodeAt(0)] = 1;

const HEX = '0123456789ABCDEF';

/**
 * Percent-encodes the UTF-8 bytes of `value`: every byte except ASCII letters, digits and `-._~`
 * (so `@`, `/`, `+`, `&`, `=`, `%` too), space as `%20`, never `+`. Upper-case hex digits
 * (RFC 3986 §2.1: producers should use them).
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += byte < 128 && UNRESERVED[byte] === 1 ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}
