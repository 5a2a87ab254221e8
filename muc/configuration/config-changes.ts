/**
 * A configuration change given as values rather than as a form (`MucService.configure`, the
 * config file's `muc_rooms`): the same rules as a submitted form (`config-submit.ts`), checked
 * whole before anything changes. Values are checked by the room config schema (types, option
 * lists, unknown keys); then the form's bounds: `historylength` at most `max_history_messages`,
 * `lang` a language tag, and a password-protected room needs a password. As in the form, giving
 * only `roomsecret` protects the room when it is non-empty. `maxusers: null` means unlimited.
 * Pure.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { LANGUAGE_TAG } from './config-submit.js';
import { partialRoomConfigSchema } from './room-config-schema.js';
import type { RoomConfig } from './room-config.js';

/** Why a change was refused, for logs (never the password). */
export type ConfigChangeProblem = string;

function withoutNullMaxUsers(changes: object): { input: Record<string, unknown>; unlimited: boolean } {
  const input = { ...(changes as Record<string, unknown>) };
  const unlimited = 'maxusers' in input && (input.maxusers === null || input.maxusers === undefined);
  if (unlimited) delete input.maxusers;
  return { input, unlimited };
}

/** `current` with `changes` applied, or why the changes are refused. */
export function configWithChanges(current: RoomConfig, changes: object, maxHistory: number): Result<RoomConfig, ConfigChangeProblem> {
  const { input, unlimited } = withoutNullMaxUsers(changes);
  const parsed = partialRoomConfigSchema.safeParse(input);
  if (!parsed.success) return err(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; '));
  const given = parsed.data;
  const next: RoomConfig = { ...current, ...given, presencebroadcast: [...(given.presencebroadcast ?? current.presencebroadcast)] };
  if (unlimited) next.maxusers = undefined;
  if (next.historylength > maxHistory) return err(`historylength: at most ${maxHistory} (max_history_messages)`);
  if (next.lang !== '' && !LANGUAGE_TAG.test(next.lang)) return err('lang: not a language tag');
  if (given.roomsecret !== undefined && given.passwordprotectedroom === undefined) next.passwordprotectedroom = next.roomsecret !== '';
  if (next.passwordprotectedroom && next.roomsecret === '') return err('roomsecret: required for a password-protected room');
  return ok(next);
}
