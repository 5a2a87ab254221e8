/**
 * When each session of the host was bound, for the session listing: recorded at `resource-bind`
 * while the admin API is loaded (a session bound before it loaded has no known start). Kept in a
 * WeakMap so a session that ends takes its entry with it.
 */
import type { Session } from '../../server/session/index.js';
import { serviceKey, type ModuleContext } from '../../server/modules/index.js';
import { Priority } from '../../server/hooks/index.js';

export interface SessionClock {
  /** When `session` was bound (ms since the epoch), if known. */
  boundAt(session: Session): number | undefined;
}

export const sessionClockKey = serviceKey<SessionClock>('admin-session-clock');

/** Starts recording on `ctx`'s host and offers the clock under `sessionClockKey`. */
export function startSessionClock(ctx: ModuleContext<unknown>): SessionClock {
  const bound = new WeakMap<Session, number>();
  ctx.hook('resource-bind', ({ session }) => {
    bound.set(session, Date.now());
  }, Priority.Fallback);
  const clock: SessionClock = { boundAt: (session) => bound.get(session) };
  ctx.provide(sessionClockKey, clock);
  return clock;
}
