/**
 * Roster get and set on a host whose rosters belong to the backend (spec §3.6.1, §3.6.2).
 */
import { StanzaError, StreamError } from '../../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../../server/hooks/index.js';
import type { Logger } from '../../../server/log/index.js';
import { errorReply, iqResult } from '../../../server/xml/index.js';
import { rosterQueryElement } from '../../index.js';
import type { HttpRosters } from './http-roster-service.js';

const READ_ONLY = StanzaError.cancel('service-unavailable');
const FETCH_FAILED = StanzaError.cancel('internal-server-error');

/**
 * Roster get: the held roster, or the fetched one. The client's stream processes nothing else
 * until this resolves, so its initial presence (usually right behind the get) meets the fetched
 * roster [IMPROVEMENT over the original's background fetch]. No `ver`, whatever the request
 * carries [COMPAT]. A failed fetch is an `internal-server-error` reply followed by the same
 * stream error [COMPAT; IMPROVEMENT: also for network errors, timeouts and bad bodies].
 */
export async function answerRosterGet(rosters: HttpRosters, event: StanzaEvent, logger: Logger): Promise<true | StanzaError> {
  const session = event.origin;
  if (session === undefined || !isOwnRequest(event)) return READ_ONLY;
  const roster = await rosters.forRequest(event.to.bare());
  if (session.closed) return true;
  if (!roster.ok) {
    logger.warn({ session: session.id, reason: roster.error }, 'no roster from the backend: closing the session');
    const reply = errorReply(event.stanza, FETCH_FAILED);
    if (reply !== undefined) session.send(reply);
    session.close(new StreamError('internal-server-error'));
    return true;
  }
  session.rosterInterested = true;
  const items = [...roster.value.items.values()].map(rosters.itemElement);
  session.send(iqResult(event.stanza, rosterQueryElement(items)));
  return true;
}

/** Roster set: the backend owns the roster, so every change is refused, nothing changes [COMPAT]. */
export function refuseRosterSet(): StanzaError {
  return READ_ONLY;
}
