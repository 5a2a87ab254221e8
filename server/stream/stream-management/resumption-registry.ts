/**
 * The resumable sessions of one host (XEP-0198 §5), which of them are hibernating and until
 * when, and the counts of recently expired ones so that a late `<resume/>` learns its `h`.
 */
import type { Host } from '../../host/index.js';
import type { Logger } from '../../log/index.js';
import { randomText } from '../../sasl/index.js';
import { StreamError } from '../../errors/index.js';
import type { C2sSession } from '../c2s-session.js';
import type { SmOptions } from './sm-options.js';

/** Accounts whose expired ids are remembered; past it the longest-remembered account is forgotten. */
const MAX_ACCOUNTS_REMEMBERED = 100_000;

export type ResumeTarget =
  | { kind: 'found'; session: C2sSession }
  /** The session ended; `h` is how many of its client's stanzas the server had handled. */
  | { kind: 'expired'; h: number }
  | { kind: 'unknown' };

export class ResumptionRegistry {
  readonly options: SmOptions;
  readonly #logger: Logger;
  /** Resumption id → the session it resumes (connected or hibernating). */
  readonly #byId = new Map<string, C2sSession>();
  /** Hibernating sessions and their expiry timers, oldest first. */
  readonly #hibernating = new Map<C2sSession, NodeJS.Timeout>();
  /** Account (local part) → its hibernating sessions, oldest first (the per-account bound). */
  readonly #hibernatingByAccount = new Map<string, Set<C2sSession>>();
  /** Account (local part) → id of an ended session → its final `h`, oldest first. */
  readonly #expired = new Map<string, Map<string, number>>();

  constructor(options: SmOptions, logger: Logger) {
    this.options = options;
    this.#logger = logger;
  }

  get hibernatingCount(): number {
    return this.#hibernating.size;
  }

  /** A new resumption id for `session`, registered until the session ends. */
  track(session: C2sSession): string {
    // 18 random bytes: an id names a session to resume, but only its own account may resume it.
    const id = randomText(18, 'base64');
    this.#byId.set(id, session);
    return id;
  }

  /** What `<resume previd/>` from `local` (an authenticated account of this host) finds. */
  find(local: string, id: string): ResumeTarget {
    const session = this.#byId.get(id);
    if (session !== undefined && session.jid.local === local) return { kind: 'found', session };
    const expired = this.#expired.get(local);
    const h = expired?.get(id);
    if (expired !== undefined && h !== undefined) {
      expired.delete(id);
      if (expired.size === 0) this.#expired.delete(local);
      return { kind: 'expired', h };
    }
    return { kind: 'unknown' };
  }

  /**
   * The session lost its connection: it stays bound for `smacks_hibernation_time`, then ends.
   * An account's hibernating sessions beyond `smacks_max_hibernated_sessions` end, oldest first.
   */
  hibernate(session: C2sSession): void {
    const timer = setTimeout(() => {
      session.logger.info('hibernation expired');
      session.close();
    }, session.streamManagement?.hibernationMs ?? this.options.hibernationMs);
    timer.unref();
    this.#hibernating.set(session, timer);
    const local = session.jid.local;
    let account = this.#hibernatingByAccount.get(local);
    if (account === undefined) {
      account = new Set();
      this.#hibernatingByAccount.set(local, account);
    }
    account.add(session);
    while (account.size > this.options.maxHibernatedPerAccount) {
      const oldest = account.values().next().value!;
      oldest.logger.info('too many hibernated sessions for this account: the oldest ends');
      // Ending it calls `ended`, which takes it out of `account`.
      oldest.close();
      account.delete(oldest);
    }
  }

  /** The session was resumed: it no longer expires. */
  woke(session: C2sSession): void {
    const timer = this.#hibernating.get(session);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#hibernating.delete(session);
    const account = this.#hibernatingByAccount.get(session.jid.local);
    account?.delete(session);
    if (account?.size === 0) this.#hibernatingByAccount.delete(session.jid.local);
  }

  /** The session ended for good: its id now only answers `item-not-found` with its final `h`. */
  ended(session: C2sSession, id: string, h: number): void {
    this.woke(session);
    if (this.#byId.get(id) !== session) return;
    this.#byId.delete(id);
    if (this.options.maxOldPerAccount === 0) return;
    const local = session.jid.local;
    let expired = this.#expired.get(local);
    if (expired === undefined) {
      if (this.#expired.size >= MAX_ACCOUNTS_REMEMBERED) this.#expired.delete(this.#expired.keys().next().value!);
      expired = new Map();
      this.#expired.set(local, expired);
    }
    expired.set(id, h);
    if (expired.size > this.options.maxOldPerAccount) expired.delete(expired.keys().next().value!);
  }

  /** Ends every hibernating session (the module unloads, the server stops). */
  endAll(): void {
    const sessions = [...this.#hibernating.keys()];
    if (sessions.length > 0) this.#logger.info({ sessions: sessions.length }, 'ending hibernated sessions');
    for (const session of sessions) session.close(new StreamError('system-shutdown'));
  }
}

const registries = new WeakMap<Host, ResumptionRegistry>();

/** The registry of a host where the `smacks` module is loaded. */
export function resumptionRegistryOf(host: Host): ResumptionRegistry | undefined {
  return registries.get(host);
}

/** Makes stream management available on `host`; returns the function that withdraws it. */
export function offerStreamManagement(host: Host, registry: ResumptionRegistry): () => void {
  registries.set(host, registry);
  return () => {
    if (registries.get(host) === registry) registries.delete(host);
  };
}
