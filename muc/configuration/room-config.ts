/**
 * The room configuration model (XEP-0045 §10.1.3, the `muc#roomconfig` FORM_TYPE of §16.5.3) with
 * Prosody's defaults. The data form that edits it lives in `config-form.ts` / `config-submit.ts`.
 */
import type { Role } from '../rooms/roles-affiliations.js';
import { MucStatus, type MucStatusCode } from '../rooms/status-codes.js';

/** `muc#roomconfig_whois`: who may discover real JIDs; "anyone" makes the room non-anonymous. */
export type Whois = 'moderators' | 'anyone';

/** `muc#roomconfig_allowpm`: who may send private messages (XEP-0045 §7.5). */
export type AllowPm = 'anyone' | 'participants' | 'moderators' | 'none';

/** A role whose presence can be broadcast (`muc#roomconfig_presencebroadcast`). */
export type BroadcastRole = Exclude<Role, 'none'>;

export const WHOIS_VALUES: readonly Whois[] = ['moderators', 'anyone'];
export const ALLOW_PM_VALUES: readonly AllowPm[] = ['anyone', 'participants', 'moderators', 'none'];
export const BROADCAST_ROLES: readonly BroadcastRole[] = ['moderator', 'participant', 'visitor'];
/** The `muc#roomconfig_maxusers` choices offered in the form; "none" means unlimited. */
export const MAX_USERS_CHOICES: readonly number[] = [10, 20, 30, 50, 100];

/** Prosody's `max_history_messages` default: the most history a room may keep. */
export const DEFAULT_MAX_HISTORY = 20;

/** A room's configuration; every key is the suffix of its `muc#roomconfig_*` field. */
export interface RoomConfig {
  /** Natural-language room name; empty means "use the room's localpart". */
  roomname: string;
  roomdesc: string;
  /** Language of discussion (`xml:lang` tag); empty when unset. */
  lang: string;
  persistentroom: boolean;
  publicroom: boolean;
  membersonly: boolean;
  moderatedroom: boolean;
  passwordprotectedroom: boolean;
  /** The room password; only meaningful while `passwordprotectedroom` is true. Never log it. */
  roomsecret: string;
  whois: Whois;
  /** Maximum number of occupants; undefined means unlimited. */
  maxusers: number | undefined;
  /** Whether participants (not only moderators) may change the subject (§8.1). */
  changesubject: boolean;
  /** Whether members may invite others into a members-only room (§7.8.2, §9.5). */
  allowinvites: boolean;
  allowpm: AllowPm;
  /** History messages kept and sent on join (Prosody's `muc#roomconfig_historylength`). */
  historylength: number;
  presencebroadcast: readonly BroadcastRole[];
  /**
   * Whether the room's messages go to its archive (Prosody's `muc#roomconfig_enablearchiving`,
   * offered by `muc_mam`); a new room takes `muc_log_by_default`.
   */
  enablearchiving: boolean;
}

export type ConfigField = keyof RoomConfig;

/** Prosody's defaults for a new room. */
export const DEFAULT_ROOM_CONFIG: Readonly<RoomConfig> = Object.freeze({
  roomname: '',
  roomdesc: '',
  lang: '',
  persistentroom: false,
  publicroom: true,
  membersonly: false,
  moderatedroom: false,
  passwordprotectedroom: false,
  roomsecret: '',
  whois: 'moderators',
  maxusers: undefined,
  changesubject: false,
  allowinvites: false,
  allowpm: 'anyone',
  historylength: 20,
  presencebroadcast: Object.freeze(['moderator', 'participant', 'visitor'] as BroadcastRole[]),
  // Prosody's `muc_log_by_default`.
  enablearchiving: true,
});

/** A fresh configuration: the defaults with per-host or per-room overrides applied. */
export function defaultRoomConfig(overrides: Partial<RoomConfig> = {}): RoomConfig {
  return { ...DEFAULT_ROOM_CONFIG, ...overrides, presencebroadcast: [...(overrides.presencebroadcast ?? DEFAULT_ROOM_CONFIG.presencebroadcast)] };
}

/** A room is password-protected only with a password to check (§7.2.5). */
export function isPasswordProtected(config: Pick<RoomConfig, 'passwordprotectedroom' | 'roomsecret'>): boolean {
  return config.passwordprotectedroom && config.roomsecret !== '';
}

/** A room where any occupant may see real JIDs is non-anonymous (§10.1.3 note on `_whois`). */
export function isNonAnonymous(config: Pick<RoomConfig, 'whois'>): boolean {
  return config.whois === 'anyone';
}

/** Placeholder for secret values in change records, which may end up in logs. */
export const REDACTED = '(redacted)';

/** One changed option, as reported to the engine after a submit. */
export interface ConfigChange {
  readonly field: ConfigField;
  /** The old and new values; the room secret is `REDACTED`. */
  readonly from: RoomConfig[ConfigField];
  readonly to: RoomConfig[ConfigField];
}

function sameValue(a: RoomConfig[ConfigField], b: RoomConfig[ConfigField]): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value) => b.includes(value));
  }
  return a === b;
}

/** The options that differ between two configurations, in field order. */
export function diffConfig(before: RoomConfig, after: RoomConfig): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const field of Object.keys(DEFAULT_ROOM_CONFIG) as ConfigField[]) {
    if (sameValue(before[field], after[field])) continue;
    const secret = field === 'roomsecret';
    changes.push({ field, from: secret ? REDACTED : before[field], to: secret ? REDACTED : after[field] });
  }
  return changes;
}

/**
 * The status codes announcing a configuration change (XEP-0045 §10.2.1, #roomconfig-notify):
 * 172 / 173 when the room becomes non-anonymous / semi-anonymous, 170 / 171 when archiving
 * ("room logging") is switched on / off (as Prosody's muc_mam says it), 104 for any other change.
 * (174 concerns fully-anonymous rooms, which do not exist here.)
 */
export function configChangeStatusCodes(changes: readonly ConfigChange[]): MucStatusCode[] {
  const codes: MucStatusCode[] = [];
  const whois = changes.find((change) => change.field === 'whois');
  if (whois) codes.push(whois.to === 'anyone' ? MucStatus.NowNonAnonymous : MucStatus.NowSemiAnonymous);
  const archiving = changes.find((change) => change.field === 'enablearchiving');
  if (archiving) codes.push(archiving.to === true ? MucStatus.LoggingEnabled : MucStatus.LoggingDisabled);
  if (changes.some((change) => change.field !== 'whois' && change.field !== 'enablearchiving')) codes.push(MucStatus.ConfigurationChanged);
  return codes;
}
