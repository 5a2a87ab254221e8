/**
 * The JSON shapes of rooms, occupants and affiliations in the admin API. Configuration keys are
 * the suffixes of the `muc#roomconfig_*` fields, exactly as the `fixture` section of the config
 * writes them (`roomConfigShape`), so a room declared in the config and a room created over HTTP
 * read the same. JSON has no `undefined`: an unlimited `maxusers` is `null`.
 */
import * as z from 'zod';
import { AFFILIATIONS, roomConfigShape, type Affiliation } from '../../muc/index.js';

const affiliationValues = AFFILIATIONS as readonly Affiliation[] as [Affiliation, ...Affiliation[]];
export const affiliationSchema = z.enum(affiliationValues);
export const roleSchema = z.enum(['moderator', 'participant', 'visitor', 'none']);

/** A room's whole configuration as the API shows it. */
export const roomConfigSchema = z.object({
  ...roomConfigShape,
  maxusers: roomConfigShape.maxusers.nullable().describe('Most occupants at once; null for no limit.'),
});

/** Some configuration keys (creation, change); unknown keys are refused, so a typo never passes unseen. */
export const roomConfigChangesSchema = z.strictObject({
  ...roomConfigShape,
  maxusers: roomConfigShape.maxusers.nullable(),
}).partial();

/** The path parameter naming a room. */
export const roomParam = z.string().min(1)
  .describe('The room\'s bare JID (`lobby@conference.example.org`), or its local part alone for a room of the first MUC service.');

export const roomParamsSchema = z.object({ room: roomParam });

/** One room in a listing. */
export const roomSummarySchema = z.object({
  jid: z.string(),
  service: z.string(),
  name: z.string().describe('The room\'s name (`roomname`), or its local part when it has none.'),
  occupants: z.number().int().min(0),
  persistent: z.boolean(),
  public: z.boolean(),
  membersOnly: z.boolean(),
});

/** One room with its whole configuration. */
export const roomDetailsSchema = z.object({
  jid: z.string(),
  service: z.string(),
  config: roomConfigSchema,
  subject: z.string().nullable(),
  occupants: z.number().int().min(0),
  locked: z.boolean().describe('A room created by a join stays locked (XEP-0045 §10.1.1) until its owner configures it.'),
});

/** One occupant. Real JIDs are always shown: see `occupant-view.ts`. */
export const occupantSchema = z.object({
  nick: z.string(),
  role: roleSchema,
  affiliation: affiliationSchema,
  occupantId: z.string().describe('XEP-0421 occupant id: stable per room and real bare JID.'),
  jid: z.string().describe('The real bare JID.'),
  sessions: z.array(z.string()).describe('The real full JIDs of the user\'s sessions in the room under this nickname.'),
});

/** One entry of a room's affiliation list. */
export const affiliationEntrySchema = z.object({
  jid: z.string(),
  affiliation: affiliationSchema.exclude(['none']),
  nick: z.string().nullable().describe('The nickname the user registered with the room (XEP-0045 §7.10), if any.'),
});

export type RoomConfigJson = z.input<typeof roomConfigSchema>;
export type RoomConfigChanges = z.output<typeof roomConfigChangesSchema>;
