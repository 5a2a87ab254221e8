/**
 * The end of a bound session, whether its stream closed or its hibernation ran out: it leaves the
 * registry, stream management reports what its client never acknowledged (`delivery-failure`,
 * then bounces) and modules hear `resource-unbind` (unavailable presence, room exits) at once,
 * with the promise of that report, so a module that reports more of the session's stanzas (held
 * by CSI, all newer) follows the unacknowledged ones.
 */
import type { StreamError } from '../errors/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import type { C2sSession } from './c2s-session.js';
import { reportUndelivered, resumptionRegistryOf } from './stream-management/index.js';

export function endSession(env: C2sEnvironment, session: C2sSession, error: StreamError | undefined): void {
  const host = env.userHost(session.jid.domain);
  const registered = env.sessions.remove(session);
  const sm = session.streamManagement;
  let undeliveredReported: Promise<void> | undefined;
  if (sm !== undefined) {
    sm.stop();
    const registry = host === undefined ? undefined : resumptionRegistryOf(host);
    if (sm.id !== undefined) registry?.ended(session, sm.id, sm.handled);
    const unacked = sm.queue.drain();
    if (unacked.length > 0 && host !== undefined) {
      session.logger.info({ unacked: unacked.length }, 'session ended with unacknowledged stanzas');
      undeliveredReported = reportUndelivered(host, env.router, session, unacked).catch((failure: unknown) => {
        session.logger.error({ err: failure }, 'reporting unacknowledged stanzas failed');
      });
    }
  }
  if (registered && host !== undefined) host.hooks.notify('resource-unbind', { session, host, error, undeliveredReported });
}
