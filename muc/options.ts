/**
 * Options of the `muc` component module, under Prosody's names (mod_muc), with Prosody's defaults.
 * The `muc_room_default_*` options give the configuration of a new room; `max_history_messages`
 * bounds every room's history length. The bounds on what users can make the service keep (every
 * room, with its affiliations, is in memory from start-up on) are Prosody's `muc_max_rooms` and
 * Salon's `muc_max_rooms_per_user`, `muc_max_affiliations` and `muc_max_history_bytes`. Salon's
 * `muc_rooms` declares rooms as desired state (`declared-rooms/`).
 */
import * as z from 'zod';
import { DEFAULT_MAX_HISTORY_BYTES } from './delivery/history.js';
import { DEFAULT_MAX_AFFILIATIONS } from './moderation/affiliation-changes.js';
import { defaultRoomConfig, type RoomConfig } from './configuration/room-config.js';
import { declaredRoomsSchema } from './declared-rooms/declared-room-schema.js';

/**
 * `muc_max_rooms` (Prosody's name; Prosody has no default bound): a normal service holds tens to
 * a few thousand rooms; every one of them is in memory from start-up on.
 */
export const DEFAULT_MAX_ROOMS = 10_000;

/** `muc_max_rooms_per_user`: a normal user has created fewer than ten rooms that still exist. */
export const DEFAULT_MAX_ROOMS_PER_USER = 100;

/** The zod shape of the module's options: Prosody names, defaults and bounds. */
export const mucOptionShape = {
  restrict_room_creation: z.union([z.boolean(), z.enum(['admin', 'local'])]).default(false)
    .describe('Who may create rooms: false (anyone), true or "admin" (server admins), "local" (users of the parent domain).'),
  muc_room_locking: z.boolean().default(true)
    .describe('Lock a new room (status 201) until its owner configures it (XEP-0045 §10.1).'),
  muc_room_lock_timeout: z.number().positive().default(300)
    .describe('Seconds after which a room still locked is destroyed.'),
  muc_max_rooms: z.number().int().min(0).max(10_000_000).default(DEFAULT_MAX_ROOMS)
    .describe('The most rooms (temporary and persistent) the service holds; creating another is refused (resource-constraint).'),
  muc_max_rooms_per_user: z.number().int().min(0).max(10_000_000).default(DEFAULT_MAX_ROOMS_PER_USER)
    .describe('[Salon] The most rooms one user\'s joins may have created and that still exist; server admins are exempt.'),
  muc_max_affiliations: z.number().int().min(1).max(10_000_000).default(DEFAULT_MAX_AFFILIATIONS)
    .describe('[Salon] The most JIDs with an affiliation (owner, admin, member, outcast) in one room.'),
  max_history_messages: z.number().int().min(0).max(1000).default(20)
    .describe('The most history messages any room keeps (bounds muc#roomconfig_historylength).'),
  muc_max_history_bytes: z.number().int().min(0).max(64 * 1024 * 1024).default(DEFAULT_MAX_HISTORY_BYTES)
    .describe('[Salon] The most bytes of history one room keeps; the oldest messages go first.'),
  muc_room_default_public: z.boolean().default(true).describe('New rooms are listed in disco#items.'),
  muc_room_default_persistent: z.boolean().default(false).describe('New rooms survive their last occupant.'),
  muc_room_default_members_only: z.boolean().default(false).describe('New rooms admit members only.'),
  muc_room_default_moderated: z.boolean().default(false).describe('Unaffiliated users enter new rooms as visitors.'),
  muc_room_default_public_jids: z.boolean().default(false).describe('New rooms are non-anonymous (whois anyone).'),
  muc_room_default_change_subject: z.boolean().default(false).describe('Participants may change the subject of new rooms.'),
  muc_room_default_history_length: z.number().int().min(0).max(1000).default(20)
    .describe('History length of new rooms (at most max_history_messages).'),
  muc_room_default_language: z.string().max(64).default('').describe('Language tag of new rooms; empty for none.'),
  muc_log_by_default: z.boolean().default(true)
    .describe('New rooms archive their messages (muc#roomconfig_enablearchiving) when the muc_mam module is loaded.'),
  muc_max_nick_length: z.number().int().min(1).max(1023).default(23)
    .describe('The longest room nickname, in characters.'),
  muc_hook_deadline: z.number().positive().max(600).default(30)
    .describe('Seconds a muc-*-pre-* hook (e.g. an external join authorizer) may take before the action fails closed.'),
  muc_rooms: declaredRoomsSchema.default([])
    .describe('[Salon] Rooms this service must have, as desired state (created or reconciled on start and on reload): "lobby", or { name, config, affiliations, subject } as in the fixture section. Persistent unless config says otherwise.'),
  muc_rooms_destroy_undeclared: z.boolean().default(false)
    .describe('[Salon] On start and reload, destroy every persistent room that muc_rooms does not name.'),
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
    enablearchiving: options.muc_log_by_default,
  });
}
