/**
 * XEP-0012 §3 (Offline User Query): a query to a user's bare JID is answered by the server on
 * the user's behalf, never passed to the user's resources. Only the user and contacts allowed to
 * see the user's presence (subscription `from` or `both`, RFC 6121 §4.2.2) get an answer (§3 and
 * §8: `forbidden` for anyone else). With a resource online, the answer is 0 seconds; otherwise
 * the seconds since the last logout and the status text left then.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { SessionLocator } from '../../server/session/index.js';
import { iqResult } from '../../server/xml/index.js';
import type { LastLogoutStore } from './last-logout-store.js';

export const LAST_ACTIVITY_NS = 'jabber:iq:last';

export interface LastActivityAnswerer {
  readonly store: LastLogoutStore;
  readonly sessions: SessionLocator;
  /** Whether the account exists on this host. */
  accountExists(user: Jid): Promise<boolean>;
  /** Whether `contact` may see `user`'s presence: subscription `from` or `both` in the user's roster. */
  isSubscribed(user: Jid, contact: Jid): Promise<boolean>;
  /** Sends a reply (through the router: the requester may be anywhere). */
  send(stanza: Element): void;
}

/** The `<query/>` of a result: `seconds` and, when there is one, the status text. */
export function lastActivityQuery(seconds: number, status: string): Element {
  const query = new Element('query', { xmlns: LAST_ACTIVITY_NS, seconds: String(seconds) });
  if (status !== '') query.t(status);
  return query;
}

export async function answerLastActivity(answerer: LastActivityAnswerer, event: StanzaEvent): Promise<true | StanzaError> {
  const user = event.to.bare();
  // RFC 6121 §8.5.1: an iq to an account that does not exist.
  if (!(await answerer.accountExists(user))) return StanzaError.cancel('service-unavailable');
  const requester = event.from.bare();
  // §8: "as restricted by" XEP-0191 too: a request from someone the user blocks never gets
  // here, the blocklist module answers it on the sender's side (roster/blocking-guard.ts).
  if (!requester.equals(user) && !(await answerer.isSubscribed(user, requester))) return StanzaError.auth('forbidden');
  // §3: "If the user has at least one available resource … 'seconds' … set to a value of '0'".
  const online = answerer.sessions.ofAccount(user).some((session) => session.presence !== undefined && !session.closed);
  if (online) {
    answerer.send(iqResult(event.stanza, lastActivityQuery(0, '')));
    return true;
  }
  const logout = await answerer.store.get(user.local);
  // Never seen logging out since this module started recording: nothing true to say.
  if (logout === undefined) return StanzaError.cancel('item-not-found', { text: 'No logout of this user is known' });
  const seconds = Math.max(0, Math.floor((Date.now() - logout.at) / 1000));
  answerer.send(iqResult(event.stanza, lastActivityQuery(seconds, logout.status)));
  return true;
}
