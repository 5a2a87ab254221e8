/**
 * Rooms written in the config file: the service's `muc_rooms` option and the `fixture` section's
 * `rooms` share this one shape. A room is a name (`lobby`, or a bare JID `lobby@conference.example.org`)
 * or `{ name, config, affiliations, subject }`; `config` takes any `muc#roomconfig_*` setting by its
 * suffix and `affiliations` maps a user (`alice`, or `alice@example.org`) to an affiliation.
 */
import * as z from 'zod';
import { knownKeysObject } from '../../server/config/index.js';
import { partialRoomConfigSchema } from '../configuration/room-config-schema.js';
import type { RoomConfig } from '../configuration/room-config.js';
import { AFFILIATIONS, type Affiliation } from '../rooms/roles-affiliations.js';

const name = z.string().min(1);

/** One room written out in full. */
export const declaredRoomObjectSchema = knownKeysObject({
  name,
  config: partialRoomConfigSchema.optional(),
  affiliations: z.record(name, z.enum(AFFILIATIONS as readonly Affiliation[] as [Affiliation, ...Affiliation[]])).optional(),
  subject: z.string().optional(),
});

/** A list of rooms, each a name or a full description. */
export const declaredRoomsSchema = z.array(z.union([name, declaredRoomObjectSchema]));

/** A room as the config file declares it (see the file comment). */
export type DeclaredRoom = string | {
  /** `lobby` (on the service) or a room's bare JID. */
  readonly name: string;
  /** Configuration over the service defaults; declared rooms are persistent unless this says otherwise. */
  readonly config?: Partial<RoomConfig>;
  /** User (`alice` or `alice@example.org`) → affiliation. */
  readonly affiliations?: Readonly<Record<string, Affiliation>>;
  /** The room's subject. */
  readonly subject?: string;
};
