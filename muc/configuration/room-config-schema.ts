/**
 * The zod shape of every `muc#roomconfig_*` setting of a room (see `room-config.ts`), shared by
 * everything that reads room settings from outside: stored room records, the config file's rooms
 * (`muc_rooms`, `fixture`) and the service API.
 */
import * as z from 'zod';
import { knownKeysObject } from '../../server/config/index.js';
import { ALLOW_PM_VALUES, BROADCAST_ROLES, WHOIS_VALUES, type RoomConfig } from './room-config.js';

type Whois = RoomConfig['whois'];
type AllowPm = RoomConfig['allowpm'];
type BroadcastRole = RoomConfig['presencebroadcast'][number];

export const roomConfigShape = {
  roomname: z.string(),
  roomdesc: z.string(),
  lang: z.string(),
  persistentroom: z.boolean(),
  publicroom: z.boolean(),
  membersonly: z.boolean(),
  moderatedroom: z.boolean(),
  passwordprotectedroom: z.boolean(),
  roomsecret: z.string(),
  whois: z.enum(WHOIS_VALUES as readonly Whois[] as [Whois, ...Whois[]]),
  maxusers: z.number().int().positive(),
  changesubject: z.boolean(),
  allowinvites: z.boolean(),
  allowpm: z.enum(ALLOW_PM_VALUES as readonly AllowPm[] as [AllowPm, ...AllowPm[]]),
  historylength: z.number().int().min(0),
  presencebroadcast: z.array(z.enum(BROADCAST_ROLES as readonly BroadcastRole[] as [BroadcastRole, ...BroadcastRole[]])),
  enablearchiving: z.boolean(),
} as const;

/**
 * Any subset of the settings, unknown keys refused with a did-you-mean: what the config file's
 * rooms (`muc_rooms`, the `fixture` section) and `MucService.configure` accept.
 */
export const partialRoomConfigSchema = knownKeysObject(roomConfigShape).partial() satisfies z.ZodType<Partial<RoomConfig>>;
