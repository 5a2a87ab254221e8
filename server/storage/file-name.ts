/**
 * Safe single file names for hosts, stores and keys, in the style of Prosody's datamanager:
 * every UTF-8 byte outside [a-z0-9_.-] becomes `%xx` (lower-case hex), so any string maps to a
 * name that is valid on every file system, case-insensitive ones included, and never `.` or `..`.
 */

const PERCENT = 0x25;

function isSafeByte(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) // a-z
    || (byte >= 0x30 && byte <= 0x39) // 0-9
    || byte === 0x5f || byte === 0x2e || byte === 0x2d; // _ . -
}

/** Names made only of safe characters (most user names) encode to themselves. */
const ALL_SAFE = /^[a-z0-9_.-]*$/;

/** Encodes a string as a file-name component. The empty string encodes to the empty string. */
export function encodeName(name: string): string {
  if (ALL_SAFE.test(name) && name !== '.' && name !== '..') return name;
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    out += isSafeByte(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
  }
  // `.` and `..` are directory entries, not names: encode their dots too.
  if (out === '.' || out === '..') out = out.replaceAll('.', '%2e');
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * Decodes a name made by `encodeName`; undefined for anything `encodeName` would not have produced
 * (foreign files dropped into a store directory are not keys).
 */
export function decodeName(encoded: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const code = encoded.charCodeAt(i);
    if (code !== PERCENT) {
      bytes.push(code);
      continue;
    }
    const high = hexValue(encoded.charCodeAt(i + 1));
    const low = hexValue(encoded.charCodeAt(i + 2));
    if (high < 0 || low < 0) return undefined;
    bytes.push(high * 16 + low);
    i += 2;
  }
  // Invalid UTF-8 decodes to U+FFFD and non-ASCII characters were pushed as they are: neither
  // re-encodes to the same name, so the round trip rejects both.
  const decoded = Buffer.from(bytes.map((b) => b & 0xff)).toString('utf8');
  return encodeName(decoded) === encoded ? decoded : undefined;
}
