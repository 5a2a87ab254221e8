/**
 * SASLprep (RFC 4013), the string preparation for user names and passwords in SASL.
 * The single module that wraps `@mongodb-js/saslprep`.
 */
import { createRequire } from 'node:module';

type SaslprepLibrary = typeof import('@mongodb-js/saslprep');

let library: SaslprepLibrary | undefined;

/**
 * The library loads with the first string outside printable ASCII: it builds its code-point
 * tables when loaded (about 10 ms), which most start-ups (a test fixture above all) never need.
 */
function saslprepLibrary(): SaslprepLibrary {
  library ??= createRequire(import.meta.url)('@mongodb-js/saslprep') as SaslprepLibrary;
  return library;
}

export interface SaslprepOptions {
  /**
   * RFC 3454 §7: a "query" (a password being checked) may hold unassigned code points; a
   * "stored string" (a password being set) must not. Default: stored-string rules.
   */
  allowUnassigned?: boolean;
}

/**
 * Printable ASCII and the ASCII space: RFC 4013 maps none of these characters, NFKC leaves them
 * as they are, none is prohibited, unassigned or bidirectional, so SASLprep returns such a string
 * unchanged (almost every user name and many passwords).
 */
const UNCHANGED_BY_SASLPREP = /^[\x20-\x7e]*$/;

/** The prepared string, or undefined when SASLprep rejects the input (prohibited characters, bidi rules). */
export function prepareSaslString(input: string, options: SaslprepOptions = {}): string | undefined {
  if (UNCHANGED_BY_SASLPREP.test(input)) return input;
  try {
    return saslprepLibrary().saslprep(input, { allowUnassigned: options.allowUnassigned === true });
  } catch {
    // The library reports each rejection (RFC 4013 §2.3-2.5) by throwing: an expected outcome here.
    return undefined;
  }
}
