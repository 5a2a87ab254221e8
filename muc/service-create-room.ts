/**
 * `MucService.createRoom`: a room made by the service itself (test fixtures, provisioning), with
 * its configuration, affiliations and subject in place before anyone joins. Unlike a room created
 * by a join (XEP-0045 §10.1.1) it is never locked and has no creator-owner: owners are exactly the
 * affiliations given. No `pre-` hook fires (service actions, see `muc-service.ts`); `muc-room-created`
 * does, with the service's domain as creator.
 */
import { err, ok, type Result } from '../server/errors/index.js';
import { toJid, type Jid } from '../server/jid/index.js';
import type { ChatRoom } from './rooms/chat-room.js';
import type { Room } from './events.js';
import type { MucEngine } from './muc-engine.js';
import type { CreateRoomOptions, CreateRoomProblem } from './muc-service.js';
import { configWithChanges } from './configuration/config-changes.js';
import { isAffiliation, type Affiliation } from './rooms/roles-affiliations.js';

/** Bare user JIDs with their affiliation; undefined when one is not a bare user JID or affiliation. */
function parseAffiliations(input: CreateRoomOptions['affiliations']): Array<[Jid, Affiliation]> | undefined {
  const entries: Array<[Jid, Affiliation]> = [];
  for (const [address, affiliation] of Object.entries(input ?? {})) {
    const jid = toJid(address);
    if (jid === undefined || !jid.isBare || !isAffiliation(affiliation)) return undefined;
    entries.push([jid, affiliation]);
  }
  return entries;
}

/** Builds, registers and (when persistent) stores a room; see the file comment. */
export async function createServiceRoom(
  engine: MucEngine, address: Jid | string, options: CreateRoomOptions,
): Promise<Result<Room, CreateRoomProblem>> {
  const jid = toJid(address);
  if (jid === undefined || !jid.isBare || jid.local === '' || jid.domain !== engine.domain) return err('invalid-jid');
  if (engine.rooms.get(jid) !== undefined) return err('room-exists');
  const affiliations = parseAffiliations(options.affiliations);
  if (affiliations === undefined) return err('invalid-affiliation');
  const room: ChatRoom = engine.newRoom(jid);
  // Checked as `configure` checks (types, lang, password); a history longer than
  // `max_history_messages` is cut to it, as rooms made before this check were.
  const config = configWithChanges(room.config, options.config ?? {}, Number.MAX_SAFE_INTEGER);
  if (!config.ok) return err('invalid-config');
  room.setConfig(config.value);
  for (const [user, affiliation] of affiliations) room.setAffiliation(user, affiliation);
  if (options.subject !== undefined && options.subject !== '') room.subject = { text: options.subject, nick: undefined };
  const service = toJid(engine.domain);
  if (service === undefined) return err('invalid-jid'); // the service's own domain always parses
  engine.register(room, service);
  if (room.config.persistentroom) await engine.persist(room);
  return ok(room.view);
}
