/**
 * Room nicknames: the resourcepart of an occupant JID (XEP-0045 §17.1 #bizrules-jids), prepared
 * with the PRECIS Nickname profile (RFC 8266, which obsoletes RFC 7700):
 *
 * 1. additional mapping: non-ASCII spaces become U+0020, leading and trailing spaces are removed and
 *    runs of spaces collapse to one (RFC 8266 §2.2);
 * 2. normalization: NFKC (which also performs width mapping);
 * 3. the result must be stable when prepared again (RFC 8264 §7), non-empty (RFC 8266 §2.2; XEP-0045
 *    §17.1 forbids empty or all-space nicks) and at most 1023 octets (RFC 7622 §3.4);
 * 4. it may contain no character the FreeformClass disallows (RFC 8264 §4.3): controls, unassigned,
 *    private-use and surrogate code points, line/paragraph separators, noncharacters, old Hangul
 *    jamo and default-ignorable code points.
 *
 * One deliberate leniency: ZWNJ/ZWJ (U+200C/U+200D, CONTEXTJ in PRECIS) and the emoji/text
 * presentation selectors U+FE0E/U+FE0F are accepted, because emoji sequences in nicknames need them
 * and they cannot make a nickname invisible; the resourcepart rules (server/jid) narrow them to
 * where they do that work (emoji sequences, joiners after a virama). All other default-ignorables
 * (zero-width space, bidi controls, soft hyphen, word joiner, tag characters, Hangul fillers) are
 * refused: they are what makes spoofed look-alike nicks possible (XEP-0045 §14.6 #security-dos).
 *
 * Case is kept; `nicknameKey` gives the case-insensitive comparison form (RFC 8266 §2.3) for
 * nickname conflicts (XEP-0045 §7.2.8).
 */
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { normaliseResource } from '../../server/jid/index.js';

/** RFC 7622 §3.4: a resourcepart is at most 1023 octets. */
export const MAX_NICKNAME_BYTES = 1023;

/** Spaces other than U+0020 (RFC 8266 §2.2, rule 1). */
const NON_ASCII_SPACE = /(?!\u0020)\p{Zs}/gu;
const SPACE_RUN = / {2,}/g;
/** Only U+0020 is trimmed: `String.prototype.trim` would also drop tabs, newlines and U+FEFF. */
const EDGE_SPACES = /^ +| +$/g;
/** RFC 8264 §4.3 FreeformClass: categories and properties that are DISALLOWED. */
const DISALLOWED = /[\p{Cc}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF]/u;
/** Default-ignorable code points except ZWNJ, ZWJ, VS15 and VS16 (see above). */
const IGNORABLE = /(?![\u200C\u200D\uFE0E\uFE0F])\p{Default_Ignorable_Code_Point}/u;

/** Steps 1 and 2: map spaces, trim, collapse, NFKC. */
function prepare(nick: string): string {
  return nick.replace(NON_ASCII_SPACE, ' ').replace(EDGE_SPACES, '').replace(SPACE_RUN, ' ').normalize('NFKC');
}

function malformed(text: string): StanzaError {
  return StanzaError.modify('jid-malformed', { text });
}

/** Why a prepared nickname is refused, or undefined when it is acceptable. */
function problemWith(prepared: string): string | undefined {
  if (prepared === '') return 'The nickname is empty';
  if (prepare(prepared) !== prepared) return 'The nickname is not stable under normalisation';
  if (DISALLOWED.test(prepared) || IGNORABLE.test(prepared)) return 'The nickname contains a disallowed character';
  if (Buffer.byteLength(prepared, 'utf8') > MAX_NICKNAME_BYTES) return 'The nickname is too long';
  // The nickname becomes an occupant JID's resourcepart: it must survive that profile unchanged.
  if (normaliseResource(prepared) !== prepared) return 'The nickname is not a valid resourcepart';
  return undefined;
}

/**
 * Enforces the Nickname profile. Returns the nickname to use, which may differ from the input
 * (spaces, width, compatibility forms): the engine then adds status 210 to the self-presence
 * (§7.2.2, §7.6). A missing or invalid nickname is `jid-malformed` (§7.2.1).
 */
export function validateNickname(nick: string | undefined): Result<string, StanzaError> {
  if (nick === undefined || nick === '') return err(malformed('No nickname given'));
  const prepared = prepare(nick);
  const problem = problemWith(prepared);
  return problem === undefined ? ok(prepared) : err(malformed(problem));
}

/**
 * The comparison form of a valid nickname (RFC 8266 §2.3: enforcement, then lower case, then NFKC):
 * two nicknames conflict when their keys are equal.
 */
export function nicknameKey(nick: string): string {
  return prepare(nick).toLowerCase().normalize('NFKC');
}

/** Whether two nicknames are the same for conflict detection (XEP-0045 §7.2.8, §7.6). */
export function sameNickname(a: string, b: string): boolean {
  return nicknameKey(a) === nicknameKey(b);
}
