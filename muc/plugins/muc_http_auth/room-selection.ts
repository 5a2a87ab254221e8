/**
 * Which rooms `muc_http_auth` checks (spec §1.3), from `muc_http_auth_enabled_for` and
 * `muc_http_auth_disabled_for`. Both accept a list of room names or a map from the joining
 * user's domain (or the reserved key `all`) to a list; a list means `{ all: list }` (the latest
 * original silently failed open on the list form). Room names are normalised like JID local
 * parts and domains like JID domains, so `TeaParty` selects `teaparty@…`.
 */
import { err, ok, type Result } from '../../../server/errors/index.js';
import { normaliseDomain, normaliseLocal } from '../../../server/jid/index.js';

/** The reserved key of a host map naming users of every domain. */
export const ALL_DOMAINS = 'all';

/** A room list as written in the config. */
export type RoomListSetting = readonly string[] | Readonly<Record<string, readonly string[]>>;

/** Normalised room names per normalised user domain (`all` included). */
type RoomsByDomain = ReadonlyMap<string, ReadonlySet<string>>;

export interface RoomSelection {
  /** `every`: no option set; `only`: enabled_for applies; `except`: disabled_for applies. */
  readonly mode: 'every' | 'only' | 'except';
  /** Whether a join by a user of `userDomain` into the room with node `roomNode` is checked. */
  isChecked(userDomain: string, roomNode: string): boolean;
}

function roomName(option: string, key: string, entry: string): Result<string, string> {
  const where = `option "${option}"${key === ALL_DOMAINS ? '' : ` (domain ${JSON.stringify(key)})`}`;
  if (entry.includes('@')) {
    return err(`${where}: ${JSON.stringify(entry)} is a JID; list only the room name (the node part, e.g. "teaparty")`);
  }
  const name = normaliseLocal(entry);
  if (name === undefined || name === '') return err(`${where}: ${JSON.stringify(entry)} is not a valid room name`);
  return ok(name);
}

function domainKey(option: string, key: string): Result<string, string> {
  if (key.toLowerCase() === ALL_DOMAINS) return ok(ALL_DOMAINS);
  const domain = normaliseDomain(key);
  return domain === undefined ? err(`option "${option}": the key ${JSON.stringify(key)} is neither "all" nor a valid domain`) : ok(domain);
}

/** Reads one option into normalised rooms per domain; the message names the option. */
export function parseRoomList(option: string, setting: RoomListSetting): Result<RoomsByDomain, string> {
  const entries: [string, readonly string[]][] = Array.isArray(setting)
    ? [[ALL_DOMAINS, setting as readonly string[]]]
    : Object.entries(setting as Readonly<Record<string, readonly string[]>>);
  const rooms = new Map<string, Set<string>>();
  for (const [rawKey, names] of entries) {
    const key = domainKey(option, rawKey);
    if (!key.ok) return key;
    const set = rooms.get(key.value) ?? new Set<string>();
    for (const entry of names) {
      const name = roomName(option, key.value, entry);
      if (!name.ok) return name;
      set.add(name.value);
    }
    rooms.set(key.value, set);
  }
  return ok(rooms);
}

function isListed(rooms: RoomsByDomain, userDomain: string, roomNode: string): boolean {
  return rooms.get(userDomain)?.has(roomNode) === true || rooms.get(ALL_DOMAINS)?.has(roomNode) === true;
}

/**
 * The selection the two options describe. [COMPAT] `enabled_for` wins when both are set (the
 * module warns at load); an empty `enabled_for` checks no room, an empty `disabled_for` every room.
 */
export function parseRoomSelection(
  enabledFor: RoomListSetting | undefined,
  disabledFor: RoomListSetting | undefined,
): Result<RoomSelection, string> {
  if (enabledFor !== undefined) {
    const enabled = parseRoomList('muc_http_auth_enabled_for', enabledFor);
    if (!enabled.ok) return enabled;
    // Both are validated: a mistake in the ignored one is still a mistake the operator should see.
    const disabled = disabledFor === undefined ? ok(new Map()) : parseRoomList('muc_http_auth_disabled_for', disabledFor);
    if (!disabled.ok) return disabled;
    return ok({ mode: 'only', isChecked: (domain, node) => isListed(enabled.value, domain, node) });
  }
  if (disabledFor !== undefined) {
    const disabled = parseRoomList('muc_http_auth_disabled_for', disabledFor);
    if (!disabled.ok) return disabled;
    return ok({ mode: 'except', isChecked: (domain, node) => !isListed(disabled.value, domain, node) });
  }
  return ok({ mode: 'every', isChecked: () => true });
}
