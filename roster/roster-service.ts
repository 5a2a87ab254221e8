/**
 * The roster API other modules use (presence, blocking, plugins), offered per host under
 * `rosterServiceKey`. Rosters come from the `roster-load` hook or, when no handler answers, from
 * the store; changes are serialised per user, saved before anyone is told, then pushed.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { parseJid, type Jid } from '../server/jid/index.js';
import { serviceKey, type ModuleContext } from '../server/modules/index.js';
import { KeyedQueue, GrowingLru } from '../server/storage/index.js';
import type { RosterLoadEvent } from './events.js';
import { DEFAULT_PENDING_LIMITS, type PendingLimits } from './pending-subscription.js';
import { removedItemElement, rosterItemElement, type RosterItem } from './roster-item.js';
import { pushRosterItem } from './roster-push.js';
import type { RosterStore } from './roster-store.js';
import { formatRosterVersion, nextRosterVersion } from './roster-version.js';
import { DEFAULT_MAX_ROSTER_SIZE, cloneRoster, type Roster } from './roster.js';
import type { Subscription } from './subscription-state.js';

/** What a change to a roster did; see `RosterService.update`. */
export interface RosterChange<T> {
  /** Handed back to the caller of `update`. */
  readonly value: T;
  /** Anything changed (pending requests included): the roster is saved. */
  readonly changed: boolean;
  /** The contact whose item changed as clients see it: the version increases and the item is pushed. */
  readonly pushed?: string | undefined;
}

export interface RosterService {
  /** Whether roster versions (RFC 6121 §2.6) are offered to clients. */
  readonly versioning: boolean;
  /** `max_roster_size`: most contacts (items plus pending requests) in one roster. */
  readonly maxSize: number;
  /**
   * `max_pending_subscriptions`, `max_pending_subscription_bytes`: unanswered requests kept per
   * user (`DEFAULT_PENDING_LIMITS` for a service that does not say).
   */
  readonly pendingLimits?: PendingLimits;
  /**
   * True when rosters belong to a system outside the server (http_roster_admin): `update` always
   * fails and changes come only from that system.
   */
  readonly externallyManaged?: boolean;
  /** The user's roster. The value is shared: read it, change it only through `update`. */
  load(user: Jid): Promise<Result<Roster, StanzaError>>;
  /**
   * Runs `change` on a private copy of the user's roster, one change per user at a time. When it
   * reports a change the copy is saved (durably) and becomes the roster; a pushed item increases
   * the version and goes to every interested session (RFC 6121 §2.1.6). An error changes nothing.
   */
  update<T>(user: Jid, change: (roster: Roster) => Result<RosterChange<T>, StanzaError>): Promise<Result<T, StanzaError>>;
  /** Contacts that receive the user's broadcast presence: subscription from or both (RFC 6121 §4.2.2). */
  subscribers(user: Jid): Promise<Jid[]>;
  /** Contacts whose presence the user receives: subscription to or both (probed at login, RFC 6121 §4.2.2). */
  subscriptions(user: Jid): Promise<Jid[]>;
  /** The `<item/>` clients see for an item (results and pushes). */
  itemElement(item: RosterItem): Element;
  /** Drops the copy held in memory: the next load asks the hook or the store again. */
  forget(user: Jid): void;
}

/** The key under which a user host's roster service is provided. */
export const rosterServiceKey = serviceKey<RosterService>('roster');

export interface RosterServiceOptions {
  /** Where rosters are kept when no `roster-load` handler provides them. */
  readonly store: RosterStore;
  /** Most contacts in one roster (default `DEFAULT_MAX_ROSTER_SIZE`). */
  readonly maxSize?: number;
  /** Bounds on unanswered subscription requests (default `DEFAULT_PENDING_LIMITS`). */
  readonly pendingLimits?: PendingLimits;
  /** Offer roster versions (default true). */
  readonly versioning?: boolean;
  /** Show `approved='true'` on pre-approved items (RFC 6121 §2.1.2.1; default true). */
  readonly includeApproved?: boolean;
  /** Deadline of the `roster-load` hook (default 30 s). */
  readonly loadDeadlineMs?: number;
  /** Rosters kept in memory (default 10000), each for at most an hour. */
  readonly cacheSize?: number;
}

const FROM: ReadonlySet<Subscription> = new Set(['from', 'both']);
const TO: ReadonlySet<Subscription> = new Set(['to', 'both']);

/** Builds the roster service of `ctx`'s host. */
export function createRosterService(ctx: ModuleContext<unknown>, options: RosterServiceOptions): RosterService {
  return new CachedRosterService(ctx, options);
}

class CachedRosterService implements RosterService {
  readonly versioning: boolean;
  readonly maxSize: number;
  readonly pendingLimits: PendingLimits;
  readonly #ctx: ModuleContext<unknown>;
  readonly #store: RosterStore;
  readonly #includeApproved: boolean;
  readonly #deadlineMs: number;
  // The store stays the truth: an evicted roster is simply read again.
  readonly #cache: GrowingLru<string, Roster>;
  readonly #queue = new KeyedQueue();
  readonly #pushPrefix = `roster-${randomBytes(4).toString('hex')}-`;
  #pushCount = 0;

  constructor(ctx: ModuleContext<unknown>, options: RosterServiceOptions) {
    this.#ctx = ctx;
    this.#store = options.store;
    this.versioning = options.versioning ?? true;
    this.maxSize = options.maxSize ?? DEFAULT_MAX_ROSTER_SIZE;
    this.pendingLimits = options.pendingLimits ?? DEFAULT_PENDING_LIMITS;
    this.#includeApproved = options.includeApproved ?? true;
    this.#deadlineMs = options.loadDeadlineMs ?? 30_000;
    this.#cache = new GrowingLru({ max: options.cacheSize ?? 10_000, ttl: 3_600_000 });
  }

  /** An arrow property: callers map items with it. */
  readonly itemElement = (item: RosterItem): Element => rosterItemElement(item, { includeApproved: this.#includeApproved });

  // Misses load inside the user's queue, so a load never overtakes (and then overwrites) a save.
  load(user: Jid): Promise<Result<Roster, StanzaError>> {
    const key = user.bare().toString();
    const cached = this.#cache.get(key);
    if (cached !== undefined) return Promise.resolve(ok(cached));
    return this.#queue.run(key, () => {
      const now = this.#cache.get(key);
      return now !== undefined ? Promise.resolve(ok(now)) : this.#fetch(user.bare());
    });
  }

  update<T>(user: Jid, apply: (roster: Roster) => Result<RosterChange<T>, StanzaError>): Promise<Result<T, StanzaError>> {
    return this.#queue.run(user.bare().toString(), () => this.#change(user.bare(), apply));
  }

  subscribers(user: Jid): Promise<Jid[]> {
    return this.#contacts(user.bare(), FROM);
  }

  subscriptions(user: Jid): Promise<Jid[]> {
    return this.#contacts(user.bare(), TO);
  }

  forget(user: Jid): void {
    this.#cache.delete(user.bare().toString());
  }

  async #fetch(user: Jid): Promise<Result<Roster, StanzaError>> {
    const host = this.#ctx.host;
    const event: RosterLoadEvent = { user, host, roster: undefined };
    const outcome = await host.hooks.fire('roster-load', event, { deadlineMs: this.#deadlineMs });
    if (outcome instanceof StanzaError) return err(outcome);
    const roster = event.roster ?? (await this.#store.load(user));
    this.#cache.set(user.toString(), roster);
    return ok(roster);
  }

  async #change<T>(user: Jid, apply: (roster: Roster) => Result<RosterChange<T>, StanzaError>): Promise<Result<T, StanzaError>> {
    const key = user.toString();
    const cached = this.#cache.get(key);
    const loaded = cached !== undefined ? ok(cached) : await this.#fetch(user);
    if (!loaded.ok) return loaded;
    const working = cloneRoster(loaded.value);
    const outcome = apply(working);
    if (!outcome.ok) return outcome;
    const { value, changed, pushed } = outcome.value;
    if (!changed) return ok(value);
    if (pushed !== undefined) working.version = nextRosterVersion(working.version);
    await this.#store.save(user, working);
    this.#cache.set(key, working);
    if (pushed !== undefined) this.#push(user, pushed, working);
    return ok(value);
  }

  #push(user: Jid, jid: string, roster: Roster): void {
    const item = roster.items.get(jid);
    const element = item === undefined ? removedItemElement(jid) : this.itemElement(item);
    const ver = this.versioning ? formatRosterVersion(roster.version) : undefined;
    pushRosterItem(this.#ctx.sessions.ofAccount(user), element, ver, () => `${this.#pushPrefix}${(this.#pushCount++).toString(36)}`);
    this.#ctx.host.hooks.notify('roster-pushed', { user, host: this.#ctx.host, jid, item, version: roster.version });
  }

  async #contacts(user: Jid, wanted: ReadonlySet<Subscription>): Promise<Jid[]> {
    const roster = await this.load(user);
    if (!roster.ok) {
      this.#ctx.logger.warn({ user: user.toString(), condition: roster.error.condition }, 'roster unavailable for presence');
      return [];
    }
    const result: Jid[] = [];
    for (const item of roster.value.items.values()) {
      if (!wanted.has(item.subscription)) continue;
      const jid = parseJid(item.jid);
      if (jid.ok) result.push(jid.value);
    }
    return result;
  }
}
