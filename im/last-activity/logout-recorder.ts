/**
 * Records a user's logout (XEP-0012 §3: "how long ago a user logged out … and what their status
 * message was at that time"): when the account's last available resource becomes unavailable,
 * by an unavailable presence (its status text is kept) or by its session ending without one.
 *
 * The write is queued at once and not waited for: presence handling goes on without a disk
 * write in its way, and a query arriving later reads behind the queued write.
 */
import type { Logger } from '../../server/log/index.js';
import type { Session, SessionLocator } from '../../server/session/index.js';
import type { LastLogout, LastLogoutStore } from './last-logout-store.js';

export class LogoutRecorder {
  readonly #store: LastLogoutStore;
  readonly #sessions: SessionLocator;
  readonly #logger: Logger;
  /** Sessions whose last broadcast presence was unavailable: their end changes nothing. */
  readonly #unavailable = new WeakSet<Session>();

  constructor(store: LastLogoutStore, sessions: SessionLocator, logger: Logger) {
    this.#store = store;
    this.#sessions = sessions;
    this.#logger = logger;
  }

  /** A broadcast presence of `session` (RFC 6121 §4.2, §4.5); its state is already updated. */
  presence(session: Session, type: string | undefined, status: string | undefined): void {
    if (type !== 'unavailable') {
      this.#unavailable.delete(session);
      return;
    }
    this.#unavailable.add(session);
    if (this.#othersAvailable(session)) return;
    this.#record(session, { at: Date.now(), status: status ?? '' });
  }

  /**
   * The session ended. One that had sent unavailable presence was offline already (and recorded
   * then, with the status text the user chose, if it was the last). Otherwise, unless another
   * resource is available, the account went offline now, without a status; a session that never
   * sent presence counts too: the user was connected until now.
   */
  ended(session: Session): void {
    if (this.#unavailable.has(session) || this.#othersAvailable(session)) return;
    this.#record(session, { at: Date.now(), status: '' });
  }

  #record(session: Session, logout: LastLogout): void {
    this.#store.record(session.jid.local, logout).catch((error: unknown) => {
      this.#logger.error({ err: error, user: session.jid.bare().toString() }, 'could not store the last logout');
    });
  }

  #othersAvailable(session: Session): boolean {
    return this.#sessions.ofAccount(session.jid.bare()).some((other) => other !== session && other.presence !== undefined && !other.closed);
  }
}
