/**
 * "Where does this JID live?" — the one question routing asks of sessions. Kept behind an
 * interface so a clustered driver can answer it later (DESIGN.md §9).
 */
import type { Jid } from '../jid/index.js';
import type { Session } from './session.js';

export interface SessionLocator {
  /** The session bound to exactly this full JID. */
  get(full: Jid): Session | undefined;
  /** Every session of an account (empty when offline). */
  ofAccount(bare: Jid): readonly Session[];
  /** Number of bound sessions. */
  readonly size: number;
  all(): IterableIterator<Session>;
}
