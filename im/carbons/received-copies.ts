/**
 * XEP-0280 §7: a message delivered to a user of this host is copied, as `<received/>`, to the
 * user's carbons-enabled resources that do not get the original. Runs on `message/bare` and
 * `message/full` after the guards and the archive (so a carbon carries the archive's stanza-id)
 * and before the router delivers the original.
 */
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import { highestPrioritySessions } from '../../server/router/index.js';
import type { Session, SessionLocator } from '../../server/session/index.js';
import { carbonCopy } from './carbon-copy.js';
import type { CarbonsState } from './carbons-state.js';
import { carbonsVerdict, stripPrivate } from './eligibility.js';

export interface ReceivedCopies {
  readonly sessions: SessionLocator;
  readonly state: CarbonsState;
}

export function copyReceived(carbons: ReceivedCopies, event: StanzaEvent): undefined {
  const { stanza, to, from } = event;
  const toBare = to.resource === '';
  let target: Session | undefined;
  if (!toBare) {
    target = carbons.sessions.get(to);
    // No such resource: the router hands chat and normal messages on to the bare JID (RFC 6121
    // §8.5.3.2.1), and `message/bare` copies them then. Copying here too would copy twice.
    if (target === undefined || target.closed) return undefined;
  }
  const user = to.bare();
  const recipients = copyRecipients(carbons, user, target);
  const verdict = recipients.length === 0 ? undefined
    : carbonsVerdict({ message: stanza, direction: 'received', user: user.toString(), toBare, fromBare: from.resource === '' });
  // §7: the receiving server removes `<private/>` before delivering (such a message is not copied).
  stripPrivate(stanza);
  if (verdict?.copy !== true) return undefined;
  const carbon = carbonCopy('received', stanza, user);
  for (const session of recipients) {
    carbon.attrs.to = session.jid.toString();
    session.send(carbon);
  }
  return undefined;
}

/**
 * The enabled, available resources that will not get the original: not the full JID it is
 * addressed to, and for the bare JID not those the router picks (RFC 6121 §8.5.2.1.1: the
 * highest-priority ones). Available only: a session that has not sent presence gets no messages
 * addressed to its account either.
 */
function copyRecipients(carbons: ReceivedCopies, user: Jid, target: Session | undefined): Session[] {
  const sessions = carbons.sessions.ofAccount(user);
  const result: Session[] = [];
  if (sessions.length === 0) return result;
  let original: readonly Session[] | undefined;
  for (const session of sessions) {
    if (!carbons.state.isEnabled(session) || session.closed || session.presence === undefined || session === target) continue;
    if (target === undefined) {
      original ??= highestPrioritySessions(sessions);
      if (original.includes(session)) continue;
    }
    result.push(session);
  }
  return result;
}
