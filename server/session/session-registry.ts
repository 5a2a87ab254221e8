/** The in-process session table: full JID → session, bare JID → the account's sessions. */
import type { Jid } from '../jid/index.js';
import type { Session } from './session.js';
import type { SessionLocator } from './session-locator.js';

const NONE: readonly Session[] = Object.freeze([]);

export class SessionRegistry implements SessionLocator {
  /**
   * Domain → local part → the account's sessions. Keyed by the parts a parsed JID already holds,
   * so a lookup (one or two per routed stanza) never builds the `local@domain` string.
   */
  readonly #byDomain = new Map<string, Map<string, Session[]>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(full: Jid): Session | undefined {
    const list = this.#byDomain.get(full.domain)?.get(full.local);
    if (list === undefined) return undefined;
    for (const session of list) if (session.jid.resource === full.resource) return session;
    return undefined;
  }

  ofAccount(bare: Jid): readonly Session[] {
    return this.#byDomain.get(bare.domain)?.get(bare.local) ?? NONE;
  }

  *all(): IterableIterator<Session> {
    for (const accounts of this.#byDomain.values()) for (const list of accounts.values()) yield* list;
  }

  /** Adds a session; returns the older session bound to the same full JID, which the caller replaces. */
  add(session: Session): Session | undefined {
    const { local, domain } = session.jid;
    const previous = this.get(session.jid);
    if (previous !== undefined) this.remove(previous);
    let accounts = this.#byDomain.get(domain);
    if (accounts === undefined) {
      accounts = new Map();
      this.#byDomain.set(domain, accounts);
    }
    const list = accounts.get(local);
    if (list === undefined) accounts.set(local, [session]);
    else list.push(session);
    this.#size++;
    return previous;
  }

  /** Removes a session; returns false when it was not registered (already replaced). */
  remove(session: Session): boolean {
    const { local, domain } = session.jid;
    const accounts = this.#byDomain.get(domain);
    const list = accounts?.get(local);
    if (accounts === undefined || list === undefined) return false;
    const index = list.indexOf(session);
    if (index === -1) return false;
    list.splice(index, 1);
    if (list.length === 0) accounts.delete(local);
    if (accounts.size === 0) this.#byDomain.delete(domain);
    this.#size--;
    return true;
  }
}
