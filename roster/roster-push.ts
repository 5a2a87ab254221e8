/**
 * Roster pushes (RFC 6121 §2.1.6): an iq set carrying exactly one item, sent to every
 * interested resource of the user (one that requested the roster, §2.2).
 */
import { Element } from 'ltx';
import type { Session } from '../server/session/index.js';
import { rosterQueryElement } from './roster-item.js';

/**
 * Sends the push of `item` to each interested session. The iq is built once and serialised per
 * session with its own `to` (the session's full JID); it has no `from`, so it comes implicitly
 * from the user's account, which §2.1.6 requires clients to accept. Returns how many were sent.
 */
export function pushRosterItem(sessions: Iterable<Session>, item: Element, ver: string | undefined, nextId: () => string): number {
  const iq = new Element('iq', { type: 'set', id: '' });
  iq.cnode(rosterQueryElement([item], ver));
  let sent = 0;
  for (const session of sessions) {
    if (!session.rosterInterested || session.closed) continue;
    iq.attrs.id = nextId();
    iq.attrs.to = session.jid.toString();
    if (session.send(iq)) sent += 1;
  }
  return sent;
}
