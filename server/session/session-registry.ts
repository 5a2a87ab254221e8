/** The in-process session table: full JID → session, bare JID → the account's sessions. */
import type { Jid } from '../jid/index.js';
import type { Session } from './session.js';
import type { SessionLocator } from './session-locator.js';

const NONE: readonly Session[] = Object.freeze([]);

export class SessionRegistry implements SessionLocator {
  readonly #byAccount = new Map<string, Session[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(full: Jid): Session | undefined {
    const list = this.#byAccount.get(full.bare().toString());
    if (list === undefined) return undefined;
    for (const session of list) if (session.jid.resource === full.resource) return session;
    return undefined;
  }

  ofAccount(bare: Jid): readonly Session[] {
    return this.#byAccount.get(bare.toString()) ?? NONE;
  }

  *all(): IterableIterator<Session> {
    for (const list of this.#byAccount.values()) yield* list;
  }

  /** Adds a session; returns the older session bound to the same full JID, which the caller replaces. */
  add(session: Session): Session | undefined {
    const key = session.jid.bare().toString();
    const previous = this.get(session.jid);
    if (previous !== undefined) this.remove(previous);
    const list = this.#byAccount.get(key);
    if (list === undefined) this.#byAccount.set(key, [session]);
    else list.push(session);
    this.#size++;
    return previous;
  }

  /** Removes a session; returns false when it was not registered (already replaced). */
  remove(session: Session): boolean {
    const key = session.jid.bare().toString();
    const list = this.#byAccount.get(key);
    if (list === undefined) return false;
    const index = list.indexOf(session);
    if (index === -1) return false;
    list.splice(index, 1);
    if (list.length === 0) this.#byAccount.delete(key);
    this.#size--;
    return true;
  }
}
