/**
 * Options of the `muc` component module, under Prosody's names (mod_muc), with Prosody's defaults.
 * The `muc_room_default_*` options give the configuration of a new room; `max_history_messages`
 * bounds every room's history length.
 */
import * as z from 'zod';
import { defaultRoomConfig, type RoomConfig } from './room-config.js';

/** The zod shape of the module's options: Prosody names, defaults and bounds. */
export const mucOptionShape = {
  restrict_room_creation: z.union([z.boolean(), z.enum(['admin', 'local'])]).default(false)
    .describe('Who may create rooms: false (anyone), true or "admin" (server admins), "local" (users of the parent domain).'),
  muc_room_locking: z.boolean().default(true)
    .describe('Lock a new room (status 201) until its owner configures it (XEP-0045 §10.1).'),
  muc_room_lock_timeout: z.number().positive().default(300)
    .describe('Seconds after which a room still locked is destroyed.'),
  max_history_messages: z.number().int().min(0).max(1000).default(20)
    .describe('The most history messages any room keeps (bounds muc#roomconfig_historylength).'),
  muc_room_default_public: z.boolean().default(true).describe('New rooms are listed in disco#items.'),
  muc_room_default_persistent: z.boolean().default(false).describe('New rooms survive their last occupant.'),
  muc_room_default_members_only: z.boolean().default(false).describe('New rooms admit members only.'),
  muc_room_default_moderated: z.boolean().default(false).describe('Unaffiliated users enter new rooms as visitors.'),
  muc_room_default_public_jids: z.boolean().default(false).describe('New rooms are non-anonymous (whois anyone).'),
  muc_room_default_change_subject: z.boolean().default(false).describe('Participants may change the subject of new rooms.'),
  muc_room_default_history_length: z.number().int().min(0).max(1000).default(20)
    .describe('History length of new rooms (at most max_history_messages).'),
  muc_room_default_language: z.string().max(64).default('').describe('Language tag of new rooms; empty for none.'),
  muc_max_nick_length: z.number().int().min(1).max(1023).default(23)
    .describe('The longest room nickname, in characters.'),
  muc_hook_deadline: z.number().positive().max(600).default(30)
    .describe('Seconds a muc-*-pre-* hook (e.g. an external join authorizer) may take before the action fails closed.'),
};

/** The parsed options of one MUC service. */
export type MucOptions = z.infer<z.ZodObject<typeof mucOptionShape>>;

/** The configuration of a new room, from the `muc_room_default_*` options. */
export function roomDefaultsFrom(options: MucOptions): RoomConfig {
  return defaultRoomConfig({
    publicroom: options.muc_room_default_public,
    persistentroom: options.muc_room_default_persistent,
    membersonly: options.muc_room_default_members_only,
    moderatedroom: options.muc_room_default_moderated,
    whois: options.muc_room_default_public_jids ? 'anyone' : 'moderators',
    changesubject: options.muc_room_default_change_subject,
    historylength: Math.min(options.muc_room_default_history_length, options.max_history_messages),
    lang: options.muc_room_default_language,
  });
}
