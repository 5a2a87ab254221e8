/**
 * Idempotent room creation (pure parts): what `PUT /rooms/{room}` asks for, and whether an
 * existing room already is that. A repeated request (a retry after a lost answer, a deploy
 * script run twice) answers 200; a request for a different room under a taken name answers 409
 * with the keys that differ, and changes nothing.
 */
import type { Affiliation, Room, RoomConfig } from '../../muc/index.js';
import { err, ok, type Result } from '../../server/errors/index.js';
import { parseJid, parseParts, type Jid } from '../../server/jid/index.js';

/**
 * Rooms made by the backend are persistent unless the request says otherwise, as the fixture's
 * rooms are: a room nobody has joined yet must not vanish with the next restart.
 */
export const CREATED_ROOM_DEFAULTS: Readonly<Partial<RoomConfig>> = Object.freeze({ persistentroom: true });

/** A user named in a room's `affiliations`: a bare JID, or a local part alone on `defaultHost`. */
export function parseAffiliatedUser(text: string, defaultHost: string): Jid | undefined {
  const parsed = text.includes('@') ? parseJid(text) : parseParts(text, defaultHost, '');
  return parsed.ok && parsed.value.isBare && parsed.value.local !== '' ? parsed.value : undefined;
}

/** The affiliations of a request with parsed JIDs; the first user that is no bare JID otherwise. */
export function parseAffiliationMap(
  affiliations: Readonly<Record<string, Affiliation>>, defaultHost: string,
): Result<Array<readonly [Jid, Affiliation]>, string> {
  const parsed: Array<readonly [Jid, Affiliation]> = [];
  for (const [user, affiliation] of Object.entries(affiliations)) {
    const jid = parseAffiliatedUser(user, defaultHost);
    if (jid === undefined) return err(user);
    parsed.push([jid, affiliation]);
  }
  return ok(parsed);
}

/** The state a creation request asks for, with parsed affiliations. */
export interface RequestedRoom {
  readonly config: Partial<RoomConfig>;
  readonly affiliations: ReadonlyArray<readonly [Jid, Affiliation]>;
  readonly subject: string | undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  // presencebroadcast is a set of roles: order carries no meaning.
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value) => b.includes(value));
  return a === b;
}

/**
 * The names (`config.membersonly`, `affiliations.alice@example.org`, `subject`) of what `room`
 * has otherwise than `requested` asks; empty when the room already is what was asked for. Only
 * what the request names is compared: keys it leaves out may have any value.
 */
export function differingState(room: Room, requested: RequestedRoom): string[] {
  const differing: string[] = [];
  for (const [key, value] of Object.entries(requested.config) as Array<[keyof RoomConfig, unknown]>) {
    if (!sameValue(room.config[key], value)) differing.push(`config.${key}`);
  }
  for (const [jid, affiliation] of requested.affiliations) {
    if (room.affiliation(jid) !== affiliation) differing.push(`affiliations.${jid.toString()}`);
  }
  if (requested.subject !== undefined && (room.subject ?? '') !== requested.subject) differing.push('subject');
  return differing;
}
