/**
 * The roster service of a host whose rosters belong to the backend (spec §3.5): a user's roster
 * is fetched at the first roster get, kept in memory only while the user has a session, shared by
 * all of them, replaced only by a refresh (with pushes, §3.6.3) and never changed by the server.
 */
import type { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../../../server/errors/index.js';
import { Jid, parseJid } from '../../../server/jid/index.js';
import type { ModuleContext } from '../../../server/modules/index.js';
import {
  DEFAULT_MAX_ROSTER_SIZE, createRosterChangeEffects, rosterItemElement, type Roster, type RosterChangeEffects, type RosterItem, type RosterService,
} from '../../index.js';
import { CoalescedFetches } from './coalesced-fetches.js';
import type { RosterFetch } from './roster-backend.js';
import { rosterChangesOf } from './roster-changes.js';
import { diffRosters } from './roster-diff.js';

/** What the plugin needs beyond the roster service every presence handler uses. */
export interface HttpRosters extends RosterService {
  /** The roster held for `user`, if it was fetched and a session is online. */
  cached(user: Jid): Roster | undefined;
  /** For a roster get: the held roster, else the outcome of the fetch in flight or of a new one. */
  forRequest(user: Jid): Promise<Result<Roster, string>>;
  /**
   * Refresh (spec §3.7): a new fetch, applied with pushes, when the user is online and their
   * roster was requested; true (nothing to do) otherwise. False when the fetch failed.
   */
  refresh(username: string): Promise<boolean>;
  /** A session of `user` ended: the roster goes with the last one (spec §3.5). */
  sessionEnded(user: Jid): void;
}

const NOT_LOADED = StanzaError.cancel('item-not-found', { text: 'The roster is not loaded' });
const READ_ONLY = StanzaError.cancel('service-unavailable', { text: 'Rosters are managed by an external service' });

export function createHttpRosters(ctx: ModuleContext<unknown>, fetchRoster: RosterFetch): HttpRosters {
  return new BackendRosters(ctx, fetchRoster);
}

class BackendRosters implements HttpRosters {
  // RFC 6121 §2.6: the backend's rosters have no versions to offer.
  readonly versioning = false;
  readonly externallyManaged = true;
  readonly maxSize = DEFAULT_MAX_ROSTER_SIZE;
  readonly #ctx: ModuleContext<unknown>;
  readonly #fetchRoster: RosterFetch;
  // Keyed by username; an entry lives only while the user has a session (dropped at the last one's end).
  readonly #rosters = new Map<string, Roster>();
  readonly #fetches: CoalescedFetches<Result<Roster, string>>;
  readonly #changes: RosterChangeEffects;

  constructor(ctx: ModuleContext<unknown>, fetchRoster: RosterFetch) {
    this.#ctx = ctx;
    this.#fetchRoster = fetchRoster;
    this.#fetches = new CoalescedFetches((username) => this.#fetchAndApply(username));
    this.#changes = createRosterChangeEffects(ctx, this.itemElement);
  }

  readonly itemElement = (item: RosterItem): Element => rosterItemElement(item);

  cached(user: Jid): Roster | undefined {
    return this.#rosters.get(user.local);
  }

  forRequest(user: Jid): Promise<Result<Roster, string>> {
    const held = this.#rosters.get(user.local);
    return held !== undefined ? Promise.resolve(ok(held)) : this.#fetches.join(user.local);
  }

  async refresh(username: string): Promise<boolean> {
    if (!this.#isOnline(username)) return true;
    // Never requested (nothing held, nothing being fetched): the first roster get fetches it.
    const pending = this.#fetches.isPending(username);
    if (!this.#rosters.has(username) && !pending) return true;
    if (pending) this.#ctx.logger.debug({ username }, 'roster refresh waits for the fetch in flight');
    const outcome = await this.#fetches.again(username);
    return outcome.ok;
  }

  sessionEnded(user: Jid): void {
    if (!this.#isOnline(user.local)) this.#rosters.delete(user.local);
  }

  // Presence handlers read rosters through the methods below. Without a held roster the user is
  // offline or never asked: nobody is subscribed, and a probe is answered with nothing (§3.6.4).
  load(user: Jid): Promise<Result<Roster, StanzaError>> {
    const held = this.#rosters.get(user.local);
    return Promise.resolve(held !== undefined ? ok(held) : err(NOT_LOADED));
  }

  update<T>(): Promise<Result<T, StanzaError>> {
    return Promise.resolve(err(READ_ONLY));
  }

  /**
   * Every contact is `both` [COMPAT]. Read at once, not after an await: the presence module reads
   * subscribers when a session ends, in the same turn as the roster is dropped after it.
   */
  subscribers(user: Jid): Promise<Jid[]> {
    return Promise.resolve(this.#contacts(user));
  }

  subscriptions(user: Jid): Promise<Jid[]> {
    return Promise.resolve(this.#contacts(user));
  }

  forget(user: Jid): void {
    this.#rosters.delete(user.local);
  }

  #contacts(user: Jid): Jid[] {
    const roster = this.#rosters.get(user.local);
    if (roster === undefined) return [];
    const contacts: Jid[] = [];
    for (const jid of roster.items.keys()) {
      const parsed = parseJid(jid);
      if (parsed.ok) contacts.push(parsed.value);
    }
    return contacts;
  }

  #isOnline(username: string): boolean {
    return this.#ctx.sessions.ofAccount(new Jid(username, this.#ctx.host.name)).length > 0;
  }

  /** One fetch; its roster replaces the held one (pushing the differences) if the user is still online. */
  async #fetchAndApply(username: string): Promise<Result<Roster, string>> {
    const fetched = await this.#fetchRoster(username);
    if (!fetched.ok || !this.#isOnline(username)) return fetched;
    const before = this.#rosters.get(username);
    this.#rosters.set(username, fetched.value);
    if (before === undefined) return fetched;
    const user = new Jid(username, this.#ctx.host.name);
    try {
      await this.#changes.applyRosterChanges(user, rosterChangesOf(before, diffRosters(before, fetched.value)));
    } catch (error) {
      // The new roster stands; a bug while telling clients must not leave the refresh unanswered.
      this.#ctx.logger.error({ err: error, username }, 'announcing roster changes failed');
    }
    return fetched;
  }
}
