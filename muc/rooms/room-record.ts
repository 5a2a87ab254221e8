/**
 * What a persistent room stores (DESIGN.md §3: "MUC rooms with config, affiliations and subject"),
 * one record per room, and the checks a stored record must pass before it becomes a room again.
 * History and occupants are not stored: a restart empties the room as Prosody does.
 */
import * as z from 'zod';
import { parseJid } from '../../server/jid/index.js';
import type { ChatRoom, RoomSubject } from './chat-room.js';
import { validateNickname } from '../joining/nickname.js';
import { defaultRoomConfig, type RoomConfig } from '../configuration/room-config.js';
import { roomConfigShape } from '../configuration/room-config-schema.js';

// Stored records write "no limit" as null (JSON has no undefined).
const configSchema = z.object({ ...roomConfigShape, maxusers: roomConfigShape.maxusers.nullable() }).partial();

const recordSchema = z.object({
  version: z.literal(1),
  config: configSchema,
  affiliations: z.record(z.string(), z.enum(['owner', 'admin', 'member', 'outcast'])),
  nicks: z.record(z.string(), z.string()).default({}),
  subject: z.object({ text: z.string(), nick: z.string().optional() }).optional(),
  created: z.string().optional(),
  /** The bare JID whose join created the room (`muc_max_rooms_per_user` counts it after a restart). */
  creator: z.string().optional(),
});

/** The stored form of a room (JSON-serialisable). */
export type RoomRecord = z.infer<typeof recordSchema>;

/** The record of a room's persistent state. */
export function toRecord(room: ChatRoom): RoomRecord {
  const { maxusers, presencebroadcast, ...rest } = room.config;
  const record: RoomRecord = {
    version: 1,
    config: { ...rest, maxusers: maxusers ?? null, presencebroadcast: [...presencebroadcast] },
    affiliations: Object.fromEntries(room.affiliationEntries()),
    nicks: Object.fromEntries(room.reservedNickEntries()),
  };
  if (room.creator !== undefined) record.creator = room.creator;
  if (room.subject !== undefined) {
    record.subject = room.subject.nick === undefined ? { text: room.subject.text } : { text: room.subject.text, nick: room.subject.nick };
  }
  return record;
}

/** A stored record, checked; undefined when it is not one this version can read. */
export function parseRecord(value: unknown): RoomRecord | undefined {
  const parsed = recordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The configuration a record describes, over the service's defaults for anything missing. */
export function recordConfig(record: RoomRecord, defaults: RoomConfig): RoomConfig {
  const { maxusers, ...rest } = record.config;
  const config = defaultRoomConfig({ ...defaults, ...rest });
  if (maxusers !== undefined) config.maxusers = maxusers ?? undefined;
  return config;
}

/** Restores affiliations, reserved nicknames and subject; entries that no longer parse are skipped. */
export function restoreRecord(room: ChatRoom, record: RoomRecord): void {
  for (const [bare, affiliation] of Object.entries(record.affiliations)) {
    const jid = parseJid(bare);
    if (jid.ok && jid.value.local !== '' && jid.value.isBare) room.setAffiliation(jid.value, affiliation);
  }
  for (const [bare, nick] of Object.entries(record.nicks)) {
    const jid = parseJid(bare);
    const valid = validateNickname(nick);
    if (jid.ok && valid.ok && room.affiliationOf(jid.value) !== 'none') room.reserveNick(jid.value, valid.value);
  }
  if (record.creator !== undefined) room.creator = record.creator;
  if (record.subject !== undefined) {
    const subject: RoomSubject = { text: record.subject.text, nick: record.subject.nick };
    room.subject = subject;
  }
}
