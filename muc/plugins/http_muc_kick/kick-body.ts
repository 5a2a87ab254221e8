/**
 * The body of `POST /muc_kick` (spec §2.4 rows 4, 5 and 5b): a JSON object with the string
 * members `nickname` and `muc` and an optional string `reason`; other members are ignored. The
 * `Content-Type` is not looked at [COMPAT]. The messages are the contract's, word for word.
 */
import { err, ok, type Result } from '../../../server/errors/index.js';
import { isJsonObject, parseJsonBody } from '../../../server/net/index.js';

export const JSON_BODY_NOT_FOUND = 'JSON body not found';
export const MISSING_FIELDS = 'Missing nickname and/or MUC';
export const INVALID_REASON = 'Invalid reason';

export interface KickBody {
  readonly nickname: string;
  readonly muc: string;
  /** Absent, `null` and `""` all mean no `<reason/>`. */
  readonly reason: string | undefined;
}

function isFilledString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The kick the body asks for, or the 400 message. */
export function parseKickBody(body: Buffer): Result<KickBody, string> {
  // Empty, unparsable or not an object: all "JSON body not found".
  const parsed = parseJsonBody(body);
  if (!parsed.ok || !isJsonObject(parsed.value)) return err(JSON_BODY_NOT_FOUND);
  const { nickname, muc, reason } = parsed.value;
  if (!isFilledString(nickname) || !isFilledString(muc)) return err(MISSING_FIELDS);
  // The original removed the occupant and then crashed on a non-string reason, telling nobody.
  if (reason !== undefined && reason !== null && typeof reason !== 'string') return err(INVALID_REASON);
  return ok({ nickname, muc, reason: typeof reason === 'string' && reason !== '' ? reason : undefined });
}
