/**
 * The extended answer of the authorization service (`muc_http_auth_extended`, docs/plugins.md
 * "Extensions to the plugin contract"): an allow may also name the nickname, role and affiliation
 * the user enters with, and a refusal may carry a `reason` shown to the user. Pure.
 *
 * A field that is present (not `null`) but not one of the documented values makes the whole
 * answer malformed, and a malformed answer refuses (spec §1.6: anything but a clear yes refuses).
 * Ignoring the field instead could widen access: a misspelt `"vistor"` meant to silence someone
 * would let them speak. `null` counts as absent, as backends serialise unset optional fields.
 * Only the fields of the decision taken are read: `reason` on an allow and the grant on a
 * refusal are ignored.
 */
import { err, ok, type Result } from '../../../server/errors/index.js';
import { validateNickname, type Affiliation, type Role } from '../../index.js';

/** What an extended allow grants (every field optional). */
export interface AnswerGrant {
  readonly nick?: string;
  readonly role?: Exclude<Role, 'none'>;
  readonly affiliation?: Exclude<Affiliation, 'outcast'>;
}

/** The most characters of a `reason` shown to the user; the rest is cut. */
export const MAX_REASON_CHARACTERS = 300;

const GRANTABLE_ROLES: readonly string[] = ['moderator', 'participant', 'visitor'];
const GRANTABLE_AFFILIATIONS: readonly string[] = ['owner', 'admin', 'member', 'none'];

/** How a field that is present is described in the log line of a malformed answer. */
function described(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return Array.isArray(value) ? 'array' : typeof value;
}

function invalid(field: string, value: unknown, why: string): Result<never, string> {
  return err(`invalid '${field}' value (${described(value)}): ${why}`);
}

function readRole(value: unknown): Result<AnswerGrant['role'], string> {
  if (value === undefined || value === null) return ok(undefined);
  if (value === 'none') return invalid('role', value, 'role none is not an entry; answer {"allowed": false} to refuse');
  if (typeof value !== 'string' || !GRANTABLE_ROLES.includes(value)) return invalid('role', value, 'expected moderator, participant or visitor');
  return ok(value as AnswerGrant['role']);
}

function readAffiliation(value: unknown): Result<AnswerGrant['affiliation'], string> {
  if (value === undefined || value === null) return ok(undefined);
  if (value === 'outcast') return invalid('affiliation', value, 'outcast cannot be granted; answer {"allowed": false} to refuse');
  if (typeof value !== 'string' || !GRANTABLE_AFFILIATIONS.includes(value)) {
    return invalid('affiliation', value, 'expected owner, admin, member or none');
  }
  return ok(value as AnswerGrant['affiliation']);
}

function readNick(value: unknown): Result<string | undefined, string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return invalid('nick', value, 'expected a string');
  const prepared = validateNickname(value);
  return prepared.ok ? ok(prepared.value) : invalid('nick', value, `not a valid room nickname (${prepared.error.text ?? 'invalid'})`);
}

/** The grant of an extended allow, or the problem that makes the answer malformed. */
export function readGrant(answer: Readonly<Record<string, unknown>>): Result<AnswerGrant, string> {
  const role = readRole(answer.role);
  if (!role.ok) return role;
  const affiliation = readAffiliation(answer.affiliation);
  if (!affiliation.ok) return affiliation;
  const nick = readNick(answer.nick);
  if (!nick.ok) return nick;
  return ok({
    ...(nick.value !== undefined ? { nick: nick.value } : {}),
    ...(role.value !== undefined ? { role: role.value } : {}),
    ...(affiliation.value !== undefined ? { affiliation: affiliation.value } : {}),
  });
}

/**
 * Whether a code point may stand in the `<text/>` shown to a user: XML 1.0's `Char` production
 * (no NUL or other C0 controls but tab and line feed, no lone surrogates, no U+FFFE/U+FFFF),
 * and no C1 controls or carriage returns either, which no client renders usefully.
 */
function isShowable(codePoint: number): boolean {
  if (codePoint === 0x09 || codePoint === 0x0a) return true;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return false;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false;
  return codePoint !== 0xfffe && codePoint !== 0xffff;
}

/**
 * The refusal reason as it will be shown: characters XML cannot carry removed, trimmed, at most
 * `MAX_REASON_CHARACTERS` characters (code points, so no surrogate pair is split). Escaping is the
 * serialiser's. Undefined when nothing is left, or the problem when `reason` is not a string.
 */
export function readReason(answer: Readonly<Record<string, unknown>>): Result<string | undefined, string> {
  const value = answer.reason;
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return invalid('reason', value, 'expected a string');
  let shown = '';
  let count = 0;
  for (const character of value) {
    if (!isShowable(character.codePointAt(0)!)) continue;
    if (count === MAX_REASON_CHARACTERS) break;
    shown += character;
    count += 1;
  }
  shown = shown.trim();
  return ok(shown === '' ? undefined : shown);
}
