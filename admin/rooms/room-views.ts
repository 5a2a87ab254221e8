/**
 * What the API answers about rooms, occupants and affiliations, built from the MUC service's
 * read-only views (pure). Configuration values cross between the engine's `RoomConfig` (where an
 * unlimited `maxusers` is `undefined`) and JSON (where it is `null`) only here.
 */
import type * as z from 'zod';
import type { AffiliationEntry, Occupant, Room, RoomConfig } from '../../muc/index.js';
import type {
  affiliationEntrySchema, occupantSchema, RoomConfigChanges, RoomConfigJson, roomDetailsSchema, roomSummarySchema,
} from './room-schemas.js';

export type RoomSummary = z.input<typeof roomSummarySchema>;
export type RoomDetails = z.input<typeof roomDetailsSchema>;
export type OccupantView = z.input<typeof occupantSchema>;
export type AffiliationView = z.input<typeof affiliationEntrySchema>;

export function roomConfigJson(config: Readonly<RoomConfig>): RoomConfigJson {
  return { ...config, presencebroadcast: [...config.presencebroadcast], maxusers: config.maxusers ?? null };
}

/** JSON configuration keys as the engine takes them: only the keys given, `null` maxusers as unlimited. */
export function configChanges(changes: RoomConfigChanges): Partial<RoomConfig> {
  const { maxusers, ...rest } = changes;
  const config: Partial<RoomConfig> = { ...rest };
  if (maxusers !== undefined) config.maxusers = maxusers ?? undefined;
  return config;
}

export function roomSummary(room: Room): RoomSummary {
  const { config } = room;
  return {
    jid: room.jid.toString(),
    service: room.jid.domain,
    name: config.roomname === '' ? room.jid.local : config.roomname,
    occupants: room.occupantCount,
    persistent: config.persistentroom,
    public: config.publicroom,
    membersOnly: config.membersonly,
  };
}

export function roomDetails(room: Room): RoomDetails {
  return {
    jid: room.jid.toString(),
    service: room.jid.domain,
    config: roomConfigJson(room.config),
    subject: room.subject ?? null,
    occupants: room.occupantCount,
    locked: room.locked,
  };
}

/**
 * An occupant with its real JID. The API's callers hold a token from the server's own config:
 * they are the service's operator, who sees real JIDs in every room as a service administrator
 * does in XEP-0045 (§5.2.1, "service administrators"), whatever the room's `whois`.
 */
export function occupantView(occupant: Occupant): OccupantView {
  return {
    nick: occupant.nick,
    role: occupant.role,
    affiliation: occupant.affiliation,
    occupantId: occupant.occupantId,
    jid: occupant.bareJid.toString(),
    sessions: occupant.sessions.map(String),
  };
}

export function affiliationView(entry: AffiliationEntry): AffiliationView {
  return { jid: entry.jid.toString(), affiliation: entry.affiliation, nick: entry.nick ?? null };
}
