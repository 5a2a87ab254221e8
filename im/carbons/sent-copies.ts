/**
 * XEP-0280 §8: a message a user's client sends is copied, as `<sent/>`, to the user's other
 * carbons-enabled resources, whether or not the sending one enabled carbons. Runs on the
 * sender's `pre-stanza` after the outbound guards (a message blocking refuses is not copied) and
 * after the sender's archive.
 */
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Session, SessionLocator } from '../../server/session/index.js';
import { carbonCopy } from './carbon-copy.js';
import type { CarbonsState } from './carbons-state.js';
import { carbonsVerdict } from './eligibility.js';

export interface SentCopies {
  readonly sessions: SessionLocator;
  readonly state: CarbonsState;
}

export function copySent(carbons: SentCopies, event: StanzaEvent): undefined {
  const { stanza, origin, from } = event;
  if (stanza.name !== 'message' || origin === undefined) return undefined;
  const user = from.bare();
  const recipients: Session[] = [];
  // Every enabled resource but the sender (§8: SHOULD NOT copy to the sending full JID). The
  // user's own traffic: no availability rule, as in Prosody.
  for (const session of carbons.sessions.ofAccount(user)) {
    if (session !== origin && !session.closed && carbons.state.isEnabled(session)) recipients.push(session);
  }
  if (recipients.length === 0) return undefined;
  const verdict = carbonsVerdict({ message: stanza, direction: 'sent', user: user.toString(), toBare: false, fromBare: false });
  if (!verdict.copy) return undefined;
  const carbon = carbonCopy('sent', stanza, user);
  for (const session of recipients) {
    carbon.attrs.to = session.jid.toString();
    session.send(carbon);
  }
  return undefined;
}
