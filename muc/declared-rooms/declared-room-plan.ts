/**
 * `muc_rooms` resolved against one MUC service (pure): a room named without a domain is on this
 * service, one named with another service's domain belongs to that service and is left out; a
 * user named without a domain is on the server's first VirtualHost (as in the `fixture` section).
 * Each room's configuration is checked as `MucService.configure` checks it, over the service's
 * defaults, and is persistent unless it says otherwise. Problems are collected per room, so one
 * bad room does not stop the others.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { configWithChanges } from '../configuration/config-changes.js';
import type { RoomConfig } from '../configuration/room-config.js';
import type { Affiliation } from '../rooms/roles-affiliations.js';
import type { DeclaredRoom } from './declared-room-schema.js';

/** A declared room of this service, ready to create or reconcile. */
export interface PlannedRoom {
  readonly jid: Jid;
  /** The declared keys only, with `persistentroom` defaulting to true. */
  readonly config: Partial<RoomConfig>;
  readonly affiliations: ReadonlyArray<readonly [Jid, Affiliation]>;
  readonly subject: string | undefined;
}

/** What resolving needs to know of the server. */
export interface PlanContext {
  /** This MUC service's domain. */
  readonly service: string;
  /** The first VirtualHost, for users named without a domain; undefined when there is none. */
  readonly userHost: string | undefined;
  /** The service defaults the configuration is checked over, and `max_history_messages`. */
  readonly defaults: RoomConfig;
  readonly maxHistory: number;
}

/** The rooms of this service, and one line per room that could not be used. */
export interface RoomPlan {
  readonly rooms: readonly PlannedRoom[];
  readonly problems: readonly string[];
}

function bareJid(text: string, defaultDomain: string | undefined): Jid | undefined {
  const qualified = text.includes('@');
  if (!qualified && defaultDomain === undefined) return undefined;
  const parsed = parseJid(qualified ? text : `${text}@${defaultDomain}`);
  return parsed.ok && parsed.value.local !== '' && parsed.value.isBare ? parsed.value : undefined;
}

function planAffiliations(room: Exclude<DeclaredRoom, string>, context: PlanContext): Result<Array<[Jid, Affiliation]>, string> {
  const entries: Array<[Jid, Affiliation]> = [];
  for (const [user, affiliation] of Object.entries(room.affiliations ?? {})) {
    const jid = bareJid(user, context.userHost);
    if (jid === undefined) return err(`room "${room.name}": user "${user}" is not a user name or bare JID`);
    entries.push([jid, affiliation]);
  }
  return ok(entries);
}

/** One room of this service; undefined when it names another service; a string when it is unusable. */
function planRoom(declared: DeclaredRoom, context: PlanContext): PlannedRoom | string | undefined {
  const room = typeof declared === 'string' ? { name: declared } : declared;
  const jid = bareJid(room.name, context.service);
  if (jid === undefined) return `room "${room.name}" is not a room name or bare JID`;
  if (jid.domain !== context.service) return undefined;
  const affiliations = planAffiliations(room, context);
  if (!affiliations.ok) return affiliations.error;
  const config: Partial<RoomConfig> = { persistentroom: true, ...room.config };
  const checked = configWithChanges(context.defaults, config, context.maxHistory);
  if (!checked.ok) return `room "${room.name}": ${checked.error}`;
  return { jid, config, affiliations: affiliations.value, subject: room.subject };
}

/** Resolves every declared room (a room declared twice: the last one wins). */
export function planDeclaredRooms(declared: readonly DeclaredRoom[], context: PlanContext): RoomPlan {
  const rooms = new Map<string, PlannedRoom>();
  const problems: string[] = [];
  for (const entry of declared) {
    const planned = planRoom(entry, context);
    if (typeof planned === 'string') problems.push(planned);
    else if (planned !== undefined) rooms.set(planned.jid.toString(), planned);
  }
  return { rooms: [...rooms.values()], problems };
}

/**
 * The check `muc_rooms` passes before the server starts (the domains are not known yet): every
 * room and user name is a name or a bare JID. Returns the first problem.
 */
export function checkDeclaredRoomNames(declared: readonly DeclaredRoom[]): string | undefined {
  for (const entry of declared) {
    const room = typeof entry === 'string' ? { name: entry } : entry;
    if (bareJid(room.name, 'service.invalid') === undefined) return `room "${room.name}" is not a room name or bare JID`;
    for (const user of Object.keys(room.affiliations ?? {})) {
      if (bareJid(user, 'host.invalid') === undefined) return `room "${room.name}": user "${user}" is not a user name or bare JID`;
    }
  }
  return undefined;
}
