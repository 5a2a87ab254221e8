/**
 * Where rosters come from. The roster service reads and writes only through `RosterStore`, so a
 * plugin (http_roster_admin) can put another source behind it; the default keeps each roster as
 * one JSON value in the host's key-value storage.
 */
import type { Jid } from '../server/jid/index.js';
import { isJsonObject } from '../server/net/index.js';
import type { KeyValueStore } from '../server/storage/index.js';
import type { RosterItem } from './roster-item.js';
import { itemState, withState } from './roster-item.js';
import { emptyRoster, type PendingSubscription, type Roster } from './roster.js';
import { pendingFromStanza } from './pending-subscription.js';
import { parseStoredStanza } from './stored-stanza.js';
import type { Subscription } from './subscription-state.js';

export interface RosterStore {
  /** The user's roster; an empty one (version 0) when none was ever saved. */
  load(user: Jid): Promise<Roster>;
  /** Replaces the user's roster; resolves once it is durable. */
  save(user: Jid, roster: Roster): Promise<void>;
}

/** A roster item as stored: "pending in" is not kept here but derived from `pendingIn`. */
export interface SerialisedRosterItem {
  jid: string;
  name?: string;
  groups: string[];
  subscription: Subscription;
  ask?: 'subscribe';
  approved?: boolean;
}

export interface SerialisedPendingSubscription extends PendingSubscription {
  jid: string;
}

/** A roster as plain JSON: maps become arrays. */
export interface SerialisedRoster {
  version: number;
  items: SerialisedRosterItem[];
  pendingIn: SerialisedPendingSubscription[];
}

/** Stored roster data that does not have the expected shape. */
export class RosterDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterDataError';
  }
}

export function serialiseRoster(roster: Roster): SerialisedRoster {
  const items: SerialisedRosterItem[] = [];
  for (const item of roster.items.values()) {
    const stored: SerialisedRosterItem = { jid: item.jid, groups: [...item.groups], subscription: item.subscription };
    if (item.name !== undefined) stored.name = item.name;
    if (item.ask === 'subscribe') stored.ask = 'subscribe';
    if (item.approved === true) stored.approved = true;
    items.push(stored);
  }
  const pendingIn: SerialisedPendingSubscription[] = [];
  for (const [jid, request] of roster.pendingIn) pendingIn.push({ jid, ...request });
  return { version: roster.version, items, pendingIn };
}

/**
 * Rebuilds a roster from stored JSON, checking its shape (files can be edited or damaged).
 * Throws `RosterDataError` rather than dropping what it cannot read: a silent drop would be
 * written back and lose the data for good.
 */
export function deserialiseRoster(value: unknown): Roster {
  if (!isJsonObject(value)) throw new RosterDataError('a roster is not an object');
  const { version, items, pendingIn } = value;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) throw new RosterDataError('bad roster version');
  if (!Array.isArray(items) || !Array.isArray(pendingIn)) throw new RosterDataError('roster items or requests are not lists');
  const roster = emptyRoster();
  roster.version = version;
  for (const entry of pendingIn) {
    const { jid, ...request } = readPending(entry);
    roster.pendingIn.set(jid, request);
  }
  for (const entry of items) {
    const item = readItem(entry);
    // Flags that no defined state carries are dropped; "pending in" comes from the requests.
    roster.items.set(item.jid, withState(item, itemState(item, roster.pendingIn.has(item.jid))));
  }
  return roster;
}

const SUBSCRIPTIONS: ReadonlySet<unknown> = new Set<Subscription>(['none', 'to', 'from', 'both']);

function readItem(entry: unknown): RosterItem {
  if (!isJsonObject(entry)) throw new RosterDataError('a roster item is not an object');
  const { jid, name, groups, subscription, ask, approved } = entry;
  if (typeof jid !== 'string' || jid === '') throw new RosterDataError('a roster item has no jid');
  const where = `roster item ${jid}`;
  if (name !== undefined && typeof name !== 'string') throw new RosterDataError(`${where}: bad name`);
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new RosterDataError(`${where}: bad groups`);
  if (!SUBSCRIPTIONS.has(subscription)) throw new RosterDataError(`${where}: bad subscription`);
  if (ask !== undefined && ask !== 'subscribe') throw new RosterDataError(`${where}: bad ask`);
  if (approved !== undefined && typeof approved !== 'boolean') throw new RosterDataError(`${where}: bad approved`);
  const item: RosterItem = { jid, groups: [...(groups as string[])], subscription: subscription as Subscription };
  if (name !== undefined) item.name = name;
  if (ask === 'subscribe') item.ask = 'subscribe';
  if (approved === true) item.approved = true;
  return item;
}

function readPending(entry: unknown): SerialisedPendingSubscription {
  if (!isJsonObject(entry)) throw new RosterDataError('a pending request is not an object');
  const { jid, stanza, status, nick, receivedAt } = entry;
  if (typeof jid !== 'string' || jid === '') throw new RosterDataError('a pending request has no jid');
  const where = `pending request from ${jid}`;
  if (typeof receivedAt !== 'string') throw new RosterDataError(`${where}: bad fields`);
  // Earlier versions kept the whole request stanza: what is kept now is read out of it.
  if (typeof stanza === 'string') {
    const element = parseStoredStanza(stanza);
    if (element === undefined) throw new RosterDataError(`${where}: stored stanza is not XML`);
    return { jid, ...pendingFromStanza(element, receivedAt) };
  }
  if (stanza !== undefined || (status !== undefined && typeof status !== 'string') || (nick !== undefined && typeof nick !== 'string')) {
    throw new RosterDataError(`${where}: bad fields`);
  }
  const request: SerialisedPendingSubscription = { jid, receivedAt };
  if (typeof status === 'string') request.status = status;
  if (typeof nick === 'string') request.nick = nick;
  return request;
}

/**
 * A `RosterStore` over a key-value store opened for the users' host: one value per user,
 * keyed by the local part (as accounts are).
 */
export function createKeyValueRosterStore(store: KeyValueStore<SerialisedRoster>): RosterStore {
  return {
    async load(user: Jid): Promise<Roster> {
      const value = await store.get(userKey(user));
      return value === undefined ? emptyRoster() : deserialiseRoster(value);
    },
    async save(user: Jid, roster: Roster): Promise<void> {
      await store.set(userKey(user), serialiseRoster(roster));
    },
  };
}

function userKey(user: Jid): string {
  if (user.local === '') throw new TypeError(`a roster belongs to a user, not to ${user.toString()}`);
  return user.local;
}
